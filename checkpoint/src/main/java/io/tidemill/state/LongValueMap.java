package io.tidemill.state;

import java.io.IOException;

/**
 * A hash map from keys to primitive {@code long} values, for aggregates whose accumulator is one
 * long (counts, sums, minima, maxima): no entry or accumulator object per key, and keys, their hashes
 * and values sit in three parallel arrays (open addressing, linear probing). Walking the map reads
 * the arrays in order and dereferences only the keys, where a map of entries and boxed accumulators
 * chases three pointers per key, which in a window holding thousands of keys are mostly cache misses.
 *
 * <p>A {@link #snapshot()} clones the arrays: the same order of work as the bucket-array copy of
 * {@link CowHashMap}, with nothing to copy on later writes, because the values are primitives.
 *
 * <p>Invariants: {@code keys[i] == null} marks a free slot; a key sits at the first free slot at or
 * after its home slot {@code hash & mask}, with no free slot between home and it; at most half the
 * slots are used. Keys are never removed (a window's map is dropped whole), so no tombstones.
 *
 * @param <K> key type: {@code hashCode} and {@code equals} of a value type
 */
public final class LongValueMap<K> {
    private static final int MIN_CAPACITY = 16;

    private Object[] keys;
    private int[] hashes;
    private long[] values;
    private int size;

    public LongValueMap() {
        this(0);
    }

    /** A map sized to hold {@code expectedSize} keys without growing. */
    public LongValueMap(int expectedSize) {
        int capacity = MIN_CAPACITY;
        while (capacity / 2 < expectedSize && capacity < (1 << 30)) {
            capacity *= 2;
        }
        allocate(capacity);
    }

    private void allocate(int capacity) {
        keys = new Object[capacity];
        hashes = new int[capacity];
        values = new long[capacity];
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /**
     * The slot of {@code key}, inserting it with {@code initial} if absent; read and write its value
     * with {@link #valueAt} and {@link #setValueAt}. Valid until the next insertion.
     */
    public int slotOf(K key, long initial) {
        int h = hash(key);
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Object k = keys[i];
            if (k == null) {
                if (size + 1 > keys.length / 2) {
                    grow();
                    return slotOf(key, initial);
                }
                keys[i] = key;
                hashes[i] = h;
                values[i] = initial;
                size++;
                return i;
            }
            if (hashes[i] == h && (k == key || k.equals(key))) {
                return i;
            }
        }
    }

    /** True when {@code key} has a value. */
    public boolean containsKey(K key) {
        int h = hash(key);
        int mask = keys.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Object k = keys[i];
            if (k == null) {
                return false;
            }
            if (hashes[i] == h && (k == key || k.equals(key))) {
                return true;
            }
        }
    }

    public long valueAt(int slot) {
        return values[slot];
    }

    public void setValueAt(int slot, long value) {
        values[slot] = value;
    }

    /** Sets {@code key}'s value. */
    public void put(K key, long value) {
        int slot = slotOf(key, value); // may grow the arrays: read them after
        values[slot] = value;
    }

    /** Every key and value, in slot order. */
    @SuppressWarnings("unchecked")
    public void forEach(Reader<? super K> reader) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                ((Reader<K>) reader).read((K) keys[i], values[i]);
            }
        }
    }

    /** The map as it is now, readable from another thread while this one goes on writing. */
    public Snapshot<K> snapshot() {
        return new Snapshot<>(keys.clone(), values.clone(), size);
    }

    private void grow() {
        Object[] oldKeys = keys;
        int[] oldHashes = hashes;
        long[] oldValues = values;
        allocate(oldKeys.length * 2);
        int mask = keys.length - 1;
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                int i = oldHashes[j] & mask;
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = oldKeys[j];
                hashes[i] = oldHashes[j];
                values[i] = oldValues[j];
            }
        }
    }

    private static int hash(Object key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }

    /** Reads one key and its value. */
    @FunctionalInterface
    public interface Reader<K> {
        void read(K key, long value);
    }

    /** Reads one key and its value, for encoding. */
    @FunctionalInterface
    public interface EntryReader<K> {
        void read(K key, long value) throws IOException;
    }

    /** The map's content at one moment; owns its arrays. */
    public static final class Snapshot<K> {
        private final Object[] keys;
        private final long[] values;
        private final int size;

        private Snapshot(Object[] keys, long[] values, int size) {
            this.keys = keys;
            this.values = values;
            this.size = size;
        }

        public int size() {
            return size;
        }

        @SuppressWarnings("unchecked")
        public void forEach(EntryReader<? super K> reader) throws IOException {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != null) {
                    ((EntryReader<K>) reader).read((K) keys[i], values[i]);
                }
            }
        }
    }
}
