package io.tidemill.window;

/** The time interval {@code [start, end)}; its last timestamp is {@code end - 1}. */
public record TimeWindow(long start, long end) {
    /** The one window of {@link GlobalWindows}: all of time. */
    public static final TimeWindow GLOBAL = new TimeWindow(Long.MIN_VALUE, Long.MAX_VALUE);

    /** True for the window of {@link GlobalWindows}, which has no end and is never cleaned up. */
    public boolean isGlobal() {
        return start == Long.MIN_VALUE && end == Long.MAX_VALUE;
    }

    /** The largest timestamp that belongs to the window; it fires when the watermark reaches it. */
    public long maxTimestamp() {
        return end - 1;
    }

    /** True if the windows overlap or touch (touching session windows merge, as in Flink). */
    public boolean intersects(TimeWindow other) {
        return start <= other.end && end >= other.start;
    }

    /** The smallest window containing both. */
    public TimeWindow cover(TimeWindow other) {
        return new TimeWindow(Math.min(start, other.start), Math.max(end, other.end));
    }

    /** True if {@code timestamp} is at least {@code reach} away from both ends of the long range. */
    static boolean fits(long timestamp, long reach) {
        return reach >= 0 && timestamp <= Long.MAX_VALUE - reach && timestamp >= Long.MIN_VALUE + reach;
    }

    /** Start of the window of length {@code slide} that contains {@code timestamp}, epoch-aligned. */
    public static long startOf(long timestamp, long offset, long slide) {
        return timestamp - Math.floorMod(timestamp - offset, slide);
    }
}
