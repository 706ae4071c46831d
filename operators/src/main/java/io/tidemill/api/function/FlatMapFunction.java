package io.tidemill.api.function;

/** Transforms one record into zero or more records. */
@FunctionalInterface
public interface FlatMapFunction<T, R> {
    void flatMap(T value, Collector<R> out) throws Exception;
}
