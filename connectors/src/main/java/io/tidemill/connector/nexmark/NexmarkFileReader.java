package io.tidemill.connector.nexmark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a Nexmark JSON-lines file, decoding each line straight from a byte buffer and reporting
 * events and malformed lines (with their 1-based line number, for a dead-letter output).
 *
 * <pre>{@code
 * long lines = NexmarkFileReader.read(path, new NexmarkFileReader.Listener() {
 *     public void onEvent(NexmarkEvent event) { ... }
 *     public void onMalformed(long lineNumber, String line, String reason) { ... }
 * });
 * }</pre>
 *
 * <p>Lines end with {@code '\n'}; a {@code '\r'} before it is dropped. A last line without a
 * terminator is read too; an empty line is malformed ("empty line").
 */
public final class NexmarkFileReader {

    private static final int INITIAL_BUFFER = 1 << 20;

    /** Receives what the reader finds, in file order. */
    public interface Listener {

        /** A well-formed event. */
        void onEvent(NexmarkEvent event);

        /** A line that is not a valid event, with the decoder's short reason. */
        void onMalformed(long lineNumber, String line, String reason);
    }

    private NexmarkFileReader() {
    }

    /** Reads all of {@code input}; returns the number of lines. */
    public static long read(Path input, Listener listener) throws IOException {
        try (InputStream in = Files.newInputStream(input)) {
            return read(in, listener);
        }
    }

    /** Reads {@code in} to its end (without closing it); returns the number of lines. */
    public static long read(InputStream in, Listener listener) throws IOException {
        NexmarkJson json = new NexmarkJson();
        byte[] buf = new byte[INITIAL_BUFFER];
        int start = 0;
        int end = 0;
        int scan = 0;
        long lineNumber = 0;
        while (true) {
            while (scan < end && buf[scan] != '\n') {
                scan++;
            }
            if (scan < end) {
                lineNumber++;
                deliver(json, buf, start, scan, lineNumber, listener);
                start = ++scan;
                continue;
            }
            // No terminator in the buffer: keep the partial line and read more.
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                scan -= start;
                start = 0;
            }
            if (end == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            int read = in.read(buf, end, buf.length - end);
            if (read < 0) {
                if (end > start) {
                    lineNumber++;
                    deliver(json, buf, start, end, lineNumber, listener);
                }
                return lineNumber;
            }
            end += read;
        }
    }

    private static void deliver(NexmarkJson json, byte[] buf, int from, int to, long lineNumber,
            Listener listener) {
        if (to > from && buf[to - 1] == '\r') {
            to--;
        }
        NexmarkEvent event;
        try {
            event = json.decode(buf, from, to - from);
        } catch (MalformedRecordException e) {
            listener.onMalformed(lineNumber, new String(buf, from, to - from, StandardCharsets.UTF_8),
                    e.reason());
            return;
        }
        listener.onEvent(event);
    }
}
