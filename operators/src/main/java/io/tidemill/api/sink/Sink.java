package io.tidemill.api.sink;

/**
 * Where a stream ends. The engine creates one writer per sink subtask.
 *
 * @param <T> record type
 */
@FunctionalInterface
public interface Sink<T> {
    SinkWriter<T> createWriter(int subtask, int parallelism) throws Exception;

    /**
     * True if writes may block (network, fsync, a slow external system): the sink's task then gets a
     * thread of its own instead of sharing a cooperative worker with other tasks.
     */
    default boolean isBlocking() {
        return false;
    }
}
