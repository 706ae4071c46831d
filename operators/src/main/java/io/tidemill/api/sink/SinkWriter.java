package io.tidemill.api.sink;

/** Writes the records of one sink subtask. Called from one thread at a time. */
public interface SinkWriter<T> extends AutoCloseable {
    void write(T value, long timestamp) throws Exception;

    /** End of input: make everything written durable and visible. */
    default void finish() throws Exception {}

    /** Releases resources; called after {@link #finish} or when the job fails. */
    @Override
    default void close() throws Exception {}
}
