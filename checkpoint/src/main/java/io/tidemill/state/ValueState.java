package io.tidemill.state;

/** A single value per key. Reads and writes apply to the key of the record being processed. */
public interface ValueState<T> {
    /** The value for the current key, or null if none. */
    T value();

    void update(T value);

    void clear();
}
