package io.tidemill.window;

/**
 * The accumulator of one pane {@code [start, end)} from one subtask: what the local step of a
 * non-keyed window aggregation sends to the step that merges them (see {@code AllWindowedStream}).
 *
 * @param <ACC> accumulator type
 */
public record WindowPartial<ACC>(long start, long end, ACC acc) {}
