package io.tidemill.api.function;

/** Transforms one record into one record. */
@FunctionalInterface
public interface MapFunction<T, R> {
    R map(T value) throws Exception;
}
