package io.tidemill.api;

/**
 * The number of records of one key in one window, as {@link WindowedStream#count()} emits it. The
 * window is {@code [windowStart, windowEnd)}; a global window (count windows) has
 * {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}.
 *
 * <pre>{@code
 * DataStream<WindowCount<String>> counts = words.keyBy(w -> w)
 *         .window(TumblingWindows.eventTime(Duration.ofSeconds(10)))
 *         .count();   // WindowCount[key=tide, windowStart=0, windowEnd=10000, count=3]
 * }</pre>
 */
public record WindowCount<K>(K key, long windowStart, long windowEnd, long count) {}
