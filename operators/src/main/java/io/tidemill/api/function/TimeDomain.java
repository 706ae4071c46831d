package io.tidemill.api.function;

/** Which clock a firing timer was registered on (Flink's {@code TimeDomain}). */
public enum TimeDomain {
    /** The timer fired because the watermark reached its time. */
    EVENT_TIME,
    /** The timer fired because processing time (the wall clock, or a test's clock) reached its time. */
    PROCESSING_TIME
}
