package io.tidemill.window;

/**
 * The accumulator of one key and pane {@code [start, end)} from one subtask: what the local step of a
 * pre-aggregated window (see {@code WindowedStream.preAggregate} and {@code AllWindowedStream})
 * sends to the step that merges them. {@code key} is null for windows over the whole stream.
 *
 * @param <K> key type
 * @param <ACC> accumulator type
 */
public record WindowPartial<K, ACC>(K key, long start, long end, ACC acc) {}
