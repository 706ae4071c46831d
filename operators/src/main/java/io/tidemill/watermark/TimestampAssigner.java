package io.tidemill.watermark;

/** Extracts the event timestamp (epoch millis) of a record. */
@FunctionalInterface
public interface TimestampAssigner<T> {
    /** Marks records that carry no timestamp. */
    long NO_TIMESTAMP = Long.MIN_VALUE;

    /**
     * @param recordTimestamp the timestamp the source attached, or {@link #NO_TIMESTAMP}
     */
    long extractTimestamp(T element, long recordTimestamp);
}
