package io.tidemill.connector.file;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dead-letter output of malformed input lines: one JSON line per bad record with its file, line
 * number, raw text and reason, e.g. {@code {"file":"in.jsonl","line":7,"raw":"{oops","reason":"invalid JSON"}}.
 * Shared by all splits of a source; writes are rare, so a lock is fine. Nothing is dropped silently:
 * every bad line is written and counted.
 */
public final class DeadLetters implements AutoCloseable {
    private static final int MAX_RAW = 10_000;
    private static final JsonFactory JSON = new JsonFactory();

    private final Path path;
    private final AtomicLong count = new AtomicLong();
    private Writer writer;

    public DeadLetters(Path path) {
        this.path = path;
    }

    /** The usual dead-letter file of an output: {@code <output>.dead-letter.jsonl}. */
    public static DeadLetters beside(Path output) {
        return new DeadLetters(output.resolveSibling(output.getFileName() + ".dead-letter.jsonl"));
    }

    public synchronized void write(String file, long lineNumber, String raw, String reason) {
        count.incrementAndGet();
        try {
            if (writer == null) {
                if (path.getParent() != null) {
                    Files.createDirectories(path.getParent());
                }
                writer = new BufferedWriter(Files.newBufferedWriter(path, StandardCharsets.UTF_8));
            }
            try (JsonGenerator g = JSON.createGenerator(writer)) {
                g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                g.writeStartObject();
                g.writeStringField("file", file);
                g.writeNumberField("line", lineNumber);
                g.writeStringField("raw", raw.length() > MAX_RAW ? raw.substring(0, MAX_RAW) + "..." : raw);
                g.writeStringField("reason", reason);
                g.writeEndObject();
            }
            writer.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write dead letter to " + path, e);
        }
    }

    public long count() {
        return count.get();
    }

    public Path path() {
        return path;
    }

    @Override
    public synchronized void close() throws IOException {
        if (writer != null) {
            writer.close();
            writer = null;
        }
    }
}
