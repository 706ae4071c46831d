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

    /**
     * True if a writer may be driven from a thread of its own, the records handed to it
     * asynchronously: then, where the sink is written from a task that shares a cooperative worker
     * (a source's dead letters), its blocking calls wait there instead. Its {@link SinkWriter#close}
     * is not waited for, so a writer of a restarted job must not depend on the previous attempt's
     * writer having closed (Kafka's transactional ids fence the old producers; a file shared by the
     * attempts would not be safe).
     */
    default boolean canWriteAsynchronously() {
        return false;
    }
}
