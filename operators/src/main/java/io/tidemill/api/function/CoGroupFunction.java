package io.tidemill.api.function;

/**
 * Evaluates one key of a window co-group: the records of both sides with that key in the window,
 * either side possibly empty (Flink's {@code CoGroupFunction}).
 */
@FunctionalInterface
public interface CoGroupFunction<A, B, R> {
    void coGroup(Iterable<A> left, Iterable<B> right, Collector<R> out) throws Exception;
}
