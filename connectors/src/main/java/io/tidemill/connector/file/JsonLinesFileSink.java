package io.tidemill.connector.file;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import java.io.BufferedOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes records as JSON lines through Jackson (records and POJOs; default typing off; plain records
 * through {@link JsonRowWriter}, which writes them as Jackson would, faster). Either one
 * part file per subtask in a directory ({@code part-<subtask>.jsonl}), or a single file, in which case
 * the sink must run at parallelism 1. Files are flushed and closed at the end of input.
 */
public final class JsonLinesFileSink<T> implements Sink<T> {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final Path path;
    private final boolean singleFile;

    private JsonLinesFileSink(Path path, boolean singleFile) {
        this.path = path;
        this.singleFile = singleFile;
    }

    /** All records in one file; use with {@code .setParallelism(1)} on the sink. */
    public static <T> JsonLinesFileSink<T> toFile(Path file) {
        return new JsonLinesFileSink<>(file, true);
    }

    /** One part file per subtask under {@code directory}. */
    public static <T> JsonLinesFileSink<T> toDirectory(Path directory) {
        return new JsonLinesFileSink<>(directory, false);
    }

    /** File writes block: the sink gets a thread of its own, off the cooperative workers. */
    @Override
    public boolean isBlocking() {
        return true;
    }

    @Override
    public SinkWriter<T> createWriter(int subtask, int parallelism) throws Exception {
        if (singleFile && parallelism != 1) {
            throw new IllegalStateException("a single-file sink needs parallelism 1, was " + parallelism
                    + "; use toDirectory(...) or setParallelism(1) on the sink");
        }
        Path file = singleFile ? path : path.resolve("part-" + subtask + ".jsonl");
        if (file.toAbsolutePath().getParent() != null) {
            Files.createDirectories(file.toAbsolutePath().getParent());
        }
        OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        JsonGenerator gen = MAPPER.getFactory().createGenerator(os);
        gen.setRootValueSeparator(null);
        JsonRowWriter rows = new JsonRowWriter(MAPPER);
        return new SinkWriter<>() {
            private boolean closed;

            @Override
            public void write(T value, long timestamp) throws Exception {
                rows.write(value, gen);
                gen.writeRaw('\n');
            }

            @Override
            public void finish() throws Exception {
                gen.flush();
            }

            @Override
            public void close() throws Exception {
                if (!closed) {
                    closed = true;
                    gen.close();
                }
            }
        };
    }
}
