package io.tidemill.state;

import java.util.List;

/** A list of values per key. */
public interface ListState<T> {
    /** The values for the current key, in insertion order; empty (never null) if none. */
    List<T> get();

    void add(T value);

    /** Replaces the list for the current key. */
    void update(List<T> values);

    void clear();
}
