package io.tidemill.api.source;

/**
 * Reads one split without blocking: each call emits up to {@code max} records and returns at once.
 * The engine calls it from a cooperative worker thread.
 */
public interface SplitReader<T> extends AutoCloseable {
    /** The outcome of one {@link #read} call. */
    enum Status {
        /** Emitted records, or may have more right away. */
        MORE,
        /** Nothing available now (rate limit, waiting for data); ask again later. */
        NOTHING_AVAILABLE,
        /** The split has ended; the reader will not be called again. */
        END
    }

    Status read(SourceOutput<T> out, int max) throws Exception;

    /** The position after the last emitted record, to resume from after a restore. */
    long offset();

    /**
     * Records of this split not read yet, as far as the reader knows without blocking (Kafka: up to
     * the partition's end when last fetched), for the source-lag metric; -1 if it cannot tell.
     */
    default long pendingRecords() {
        return -1;
    }

    /**
     * A checkpoint that recorded {@code offset} for this split has completed. For monitoring only
     * (Kafka commits it to the consumer group); recovery never reads it back. Must not block.
     */
    default void notifyCheckpointComplete(long offset) {}

    @Override
    default void close() throws Exception {}
}
