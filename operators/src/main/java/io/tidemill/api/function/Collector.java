package io.tidemill.api.function;

/** Receives the records a function emits. */
@FunctionalInterface
public interface Collector<T> {
    void collect(T value);
}
