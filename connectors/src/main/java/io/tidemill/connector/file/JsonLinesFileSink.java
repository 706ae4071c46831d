package io.tidemill.connector.file;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.checkpoint.store.AtomicRename;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes records as JSON lines through Jackson (records and POJOs; default typing off; plain records
 * through {@link JsonRowWriter}, which writes them as Jackson would, faster). Either one part file
 * per subtask in a directory ({@code part-<subtask>.jsonl}), or a single file shared by all subtasks
 * of the process.
 *
 * <p>A file is written under a hidden temporary name ({@code .<name>.inprogress}) and only at the end
 * of input forced to disk and renamed to its name (see {@link AtomicRename}), so a run that fails or
 * is stopped leaves no file that looks complete: the temporary file is deleted, or (after
 * {@code kill -9}) left hidden, and an older file of the same name stays as it was.
 *
 * <p>In a shared file, each subtask formats its rows into a buffer of its own and appends it to the
 * file in chunks of whole lines, so formatting runs in parallel and lines never interleave. The
 * order of lines from different subtasks is not defined (it is not at parallelism above 1 anyway).
 */
public final class JsonLinesFileSink<T> implements Sink<T> {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    /** A subtask appends to a shared file once it has this much formatted. */
    private static final int CHUNK = 1 << 16;

    private final Path path;
    private final boolean singleFile;
    /** The shared file while any subtask writes to it; guarded by {@code this}. */
    private FileChannel shared;
    private int sharedWriters;
    /** Whether every writer of the shared file closed so far had finished its input. */
    private boolean sharedComplete;

    private JsonLinesFileSink(Path path, boolean singleFile) {
        this.path = path;
        this.singleFile = singleFile;
    }

    /** All records in one file, at any parallelism (in one process). */
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
        if (singleFile) {
            FileChannel file = openShared();
            return new LinesWriter(file, finished -> closeShared(file, finished));
        }
        Path part = path.resolve("part-" + subtask + ".jsonl");
        FileChannel file = open(inProgress(part));
        return new LinesWriter(file, finished -> complete(file, part, finished));
    }

    /** The hidden name a file is written under until it is complete. */
    private static Path inProgress(Path file) {
        return file.resolveSibling("." + file.getFileName() + ".inprogress");
    }

    private static FileChannel open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
    }

    /** Closes a file written as {@code inProgress(target)}: renames it to {@code target} if finished, else deletes it. */
    private static void complete(FileChannel file, Path target, boolean finished) throws IOException {
        try (file) {
            if (finished) {
                file.force(true);
            }
        }
        try {
            if (finished) {
                AtomicRename.commit(inProgress(target), target);
            }
        } finally {
            // Not renamed (failed, or the rename failed): nothing of the run is left.
            Files.deleteIfExists(inProgress(target));
        }
    }

    /** The first writer (re)creates the file; the last one to close completes it. */
    private synchronized FileChannel openShared() throws IOException {
        if (shared == null) {
            shared = open(inProgress(path));
            sharedComplete = true;
        }
        sharedWriters++;
        return shared;
    }

    private synchronized void closeShared(FileChannel file, boolean finished) throws IOException {
        sharedComplete &= finished;
        if (--sharedWriters == 0 && shared == file) {
            shared = null;
            complete(file, path, sharedComplete);
        }
    }

    /** What a writer does with its file when it closes, having finished its input or not. */
    @FunctionalInterface
    private interface Closer {
        void close(boolean finished) throws IOException;
    }

    /**
     * One subtask's writer: formats rows into a buffer of its own and appends it to the file in
     * chunks of whole lines, under the file's lock (the file may be shared by several writers).
     */
    private final class LinesWriter implements SinkWriter<T> {
        private final FileChannel file;
        private final Closer closer;
        private final Lines buffer = new Lines();
        private final JsonGenerator gen;
        private final JsonRowWriter rows = new JsonRowWriter(MAPPER);
        private boolean finished;
        private boolean closed;

        LinesWriter(FileChannel file, Closer closer) throws IOException {
            this.file = file;
            this.closer = closer;
            this.gen = MAPPER.getFactory().createGenerator(buffer);
            gen.setRootValueSeparator(null);
        }

        @Override
        public void write(T value, long timestamp) throws Exception {
            rows.write(value, gen);
            gen.writeRaw('\n');
            if (buffer.size() + gen.getOutputBuffered() >= CHUNK) {
                appendAll();
            }
        }

        /** Appends everything formatted so far: whole lines, since it is called after a newline. */
        private void appendAll() throws IOException {
            gen.flush();
            ByteBuffer lines = buffer.bytes();
            synchronized (file) {
                while (lines.hasRemaining()) {
                    file.write(lines);
                }
            }
            buffer.reset();
        }

        @Override
        public void finish() throws Exception {
            appendAll();
            finished = true;
        }

        /** Without {@link #finish} (the job failed or was stopped), the file is not completed. */
        @Override
        public void close() throws Exception {
            if (!closed) {
                closed = true;
                closer.close(finished);
            }
        }
    }

    /** A growable byte buffer whose content can be written without a copy. */
    private static final class Lines extends ByteArrayOutputStream {
        Lines() {
            super(CHUNK + 1024);
        }

        ByteBuffer bytes() {
            return ByteBuffer.wrap(buf, 0, count);
        }
    }
}
