package io.tidemill.api.function;

import io.tidemill.window.TimeWindow;

/**
 * Evaluates a window of a non-keyed stream when it fires, with all its records (Flink's
 * {@code AllWindowFunction}, used with {@code windowAll(..).apply(..)}).
 *
 * <pre>{@code
 * stream.windowAll(TumblingWindows.eventTime(Duration.ofSeconds(10)))
 *       .apply((window, values, out) -> out.collect(window.start() + ": " + values))
 * }</pre>
 */
@FunctionalInterface
public interface AllWindowFunction<IN, OUT> {
    void apply(TimeWindow window, Iterable<IN> values, Collector<OUT> out) throws Exception;
}
