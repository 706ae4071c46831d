package io.tidemill.watermark;

/**
 * Tracks the timestamps of one split (or stream) and says how far event time has progressed. One
 * instance per split; not thread-safe.
 */
public interface WatermarkGenerator {
    void onEvent(long timestamp);

    /** The current watermark: no later record is expected with a timestamp at or below it. */
    long currentWatermark();
}
