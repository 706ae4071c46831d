package io.tidemill.api.source;

/**
 * An input record a source could not read (malformed JSON, a line too long), kept instead of dropped:
 * where it was, its raw text (cut at {@value #MAX_RAW} characters) and why it was rejected.
 *
 * @param file the input it came from (a file name, a topic partition)
 * @param line its position in that input (a line number, an offset)
 */
public record DeadLetter(String file, long line, String raw, String reason) {
    /** Longer raw text is cut, so one huge bad record cannot fill the dead-letter output. */
    public static final int MAX_RAW = 10_000;

    public DeadLetter {
        if (raw.length() > MAX_RAW) {
            raw = raw.substring(0, MAX_RAW) + "...";
        }
    }
}
