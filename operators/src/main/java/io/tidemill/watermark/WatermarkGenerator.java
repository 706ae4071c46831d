package io.tidemill.watermark;

/**
 * Derives watermarks from the records of one source split (or one stream, after
 * {@code assignTimestampsAndWatermarks}), as Flink's {@code WatermarkGenerator}: one instance per
 * split, called from one thread.
 *
 * <ul>
 *   <li>{@link #onEvent} for each record with its timestamp: a <em>punctuated</em> generator emits
 *       a watermark here when a record says event time has advanced;</li>
 *   <li>{@link #onPeriodicEmit} regularly: a <em>periodic</em> generator emits the watermark it
 *       derived from the records so far. Tidemill calls it after every batch the split read (Flink
 *       every {@code autoWatermarkInterval}, 200 ms by default).</li>
 * </ul>
 *
 * <pre>{@code
 * // punctuated: a record flagged as a marker carries the watermark
 * WatermarkStrategy.<Reading>forGenerator(() -> new WatermarkGenerator<>() {
 *     public void onEvent(Reading r, long timestamp, WatermarkOutput out) {
 *         if (r.isMarker()) {
 *             out.emitWatermark(new Watermark(timestamp));
 *         }
 *     }
 *     public void onPeriodicEmit(WatermarkOutput out) {}
 * }).withTimestampAssigner((r, ts) -> r.time());
 * }</pre>
 *
 * <p>A watermark lower than one emitted before is ignored: watermarks only move forward.
 *
 * @param <T> record type
 */
public interface WatermarkGenerator<T> {
    void onEvent(T event, long eventTimestamp, WatermarkOutput output);

    void onPeriodicEmit(WatermarkOutput output);
}
