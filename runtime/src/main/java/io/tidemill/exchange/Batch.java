package io.tidemill.exchange;

/** Records moving between tasks together: values with their timestamps in parallel arrays. */
public final class Batch {
    public final Object[] values;
    public final long[] timestamps;
    public int size;

    public Batch(int capacity) {
        values = new Object[capacity];
        timestamps = new long[capacity];
    }

    /** Adds a record; returns true when the batch is now full. */
    public boolean add(Object value, long timestamp) {
        values[size] = value;
        timestamps[size] = timestamp;
        return ++size == values.length;
    }
}
