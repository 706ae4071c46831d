package io.tidemill.api.source;

/** Where a split reader emits records. */
public interface SourceOutput<T> {
    /** Emits a record without a source timestamp (the watermark strategy assigns one). */
    void collect(T value);

    /** Emits a record with a timestamp given by the source (e.g. a Kafka record's timestamp). */
    void collect(T value, long timestamp);
}
