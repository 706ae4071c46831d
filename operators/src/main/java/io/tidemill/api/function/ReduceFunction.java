package io.tidemill.api.function;

/** Combines two values into one; must be associative. */
@FunctionalInterface
public interface ReduceFunction<T> {
    T reduce(T a, T b) throws Exception;
}
