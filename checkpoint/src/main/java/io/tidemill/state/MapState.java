package io.tidemill.state;

import java.util.Map;

/** A map per key. */
public interface MapState<K, V> {
    V get(K mapKey);

    void put(K mapKey, V value);

    boolean contains(K mapKey);

    void remove(K mapKey);

    /** The entries for the current key; modifying the returned map is not allowed. */
    Map<K, V> entries();

    boolean isEmpty();

    void clear();
}
