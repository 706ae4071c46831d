package io.tidemill.api.function;

/**
 * Incremental aggregation: records are added to an accumulator one by one, and the result is read
 * when a window fires. {@link #merge} is needed by merging (session) windows.
 *
 * @param <IN> input record type
 * @param <ACC> accumulator type (may be mutable and returned from {@link #add})
 * @param <OUT> result type
 */
public interface AggregateFunction<IN, ACC, OUT> {
    ACC createAccumulator();

    ACC add(IN value, ACC accumulator);

    OUT getResult(ACC accumulator);

    ACC merge(ACC a, ACC b);
}
