package io.tidemill.bench.baseline;

/**
 * The event-time rules of {@code NEXMARK.md}: a bounded-out-of-orderness watermark of 5 000 ms
 * (largest dateTime seen - 5 000 - 1, as Flink's {@code forBoundedOutOfOrderness}) and
 * epoch-aligned windows {@code [start, end)} that fire once the watermark reaches {@code end - 1}.
 */
final class EventTimeClock {

    /** Bound of out-of-orderness in milliseconds. */
    static final long MAX_DISORDER = 5_000;

    private long maxTimestamp = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;

    /** The current watermark; {@code Long.MIN_VALUE} before the first event. */
    long watermark() {
        return watermark;
    }

    /** Observes an event time; returns whether the watermark rose. */
    boolean observe(long timestamp) {
        if (timestamp <= maxTimestamp) {
            return false;
        }
        maxTimestamp = timestamp;
        long next = timestamp < Long.MIN_VALUE + MAX_DISORDER + 1
                ? Long.MIN_VALUE : timestamp - MAX_DISORDER - 1;
        if (next <= watermark) {
            return false;
        }
        watermark = next;
        return true;
    }

    /** Start of the epoch-aligned window of step {@code slide} that {@code timestamp} falls in. */
    static long windowStart(long timestamp, long slide) {
        return timestamp - Math.floorMod(timestamp, slide);
    }

    /** Whether the window ending (exclusively) at {@code end} has fired at {@code watermark}. */
    static boolean hasFired(long end, long watermark) {
        return end - 1 <= watermark;
    }
}
