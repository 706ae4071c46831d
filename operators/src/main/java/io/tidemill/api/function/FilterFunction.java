package io.tidemill.api.function;

/** Keeps the records for which it returns true. */
@FunctionalInterface
public interface FilterFunction<T> {
    boolean filter(T value) throws Exception;
}
