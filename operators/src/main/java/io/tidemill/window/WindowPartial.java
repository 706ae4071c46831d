package io.tidemill.window;

/**
 * The accumulator of one key and pane {@code [start, end)} from one subtask: what the local step of a
 * pre-aggregated window (see {@code WindowedStream.preAggregate} and {@code AllWindowedStream})
 * sends to the step that merges them. {@code key} is null for windows over the whole stream.
 *
 * @param late the one record of a partial that the local step sent on its own, because the record
 *             came after its pane was sent; kept (for a window with a late side output) so that the
 *             merging step can send the record itself there if it is late for all its windows.
 *             Null otherwise.
 * @param <K> key type
 * @param <ACC> accumulator type
 */
public record WindowPartial<K, ACC>(K key, long start, long end, ACC acc, Late late) {
    /** A record and its timestamp. */
    public record Late(Object record, long timestamp) {}
}
