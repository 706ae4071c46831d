package io.tidemill.watermark;

/** Where a {@link WatermarkGenerator} emits watermarks and says whether its split is idle. */
public interface WatermarkOutput {
    /** No record with a timestamp at or below {@code timestamp} is expected any more; marks the split active. */
    void emitWatermark(long timestamp);

    /** As {@link #emitWatermark(long)}, for code written against Flink's signature. */
    default void emitWatermark(Watermark watermark) {
        emitWatermark(watermark.timestamp());
    }

    /**
     * The split has no data for now: it stops holding back the watermark (as after an idleness
     * timeout) until it emits a watermark or {@link #markActive()} is called.
     */
    void markIdle();

    /** The split holds back the watermark again. */
    void markActive();
}
