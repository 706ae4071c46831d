package io.tidemill.watermark;

/**
 * Event-time progress flowing with the data: no record with a timestamp {@code <= timestamp} follows.
 * {@link #MAX} marks the end of a bounded input.
 */
public record Watermark(long timestamp) {
    public static final Watermark MAX = new Watermark(Long.MAX_VALUE);
}
