package io.tidemill.api.function;

/** Combines a matching pair of records of a window join into one output. */
@FunctionalInterface
public interface JoinFunction<A, B, R> {
    R join(A left, B right) throws Exception;
}
