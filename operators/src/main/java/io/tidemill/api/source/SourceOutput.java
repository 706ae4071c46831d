package io.tidemill.api.source;

/** Where a split reader emits records. */
public interface SourceOutput<T> {
    /** Emits a record without a source timestamp (the watermark strategy assigns one). */
    void collect(T value);

    /** Emits a record with a timestamp given by the source (e.g. a Kafka record's timestamp). */
    void collect(T value, long timestamp);

    /**
     * Hands over a record the reader could not read, to the source's {@link Source#deadLetterSink()}.
     * Dead letters take part in checkpoints as the records do: those of input before a split's
     * recorded offset are exactly the ones committed with that checkpoint.
     */
    default void deadLetter(DeadLetter letter) {
        throw new IllegalStateException("this source has no dead-letter sink for " + letter);
    }
}
