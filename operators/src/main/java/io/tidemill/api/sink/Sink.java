package io.tidemill.api.sink;

/**
 * Where a stream ends. The engine creates one writer per sink subtask.
 *
 * @param <T> record type
 */
@FunctionalInterface
public interface Sink<T> {
    SinkWriter<T> createWriter(int subtask, int parallelism) throws Exception;
}
