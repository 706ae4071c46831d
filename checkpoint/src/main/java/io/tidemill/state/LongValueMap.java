package io.tidemill.state;

import java.util.Arrays;
import java.util.function.BooleanSupplier;

/**
 * A hash map from keys to primitive {@code long} values, for aggregates whose accumulator is one
 * long (counts, sums, minima, maxima): no entry or accumulator object per key, and keys and values
 * sit in parallel arrays (open addressing, linear probing).
 *
 * <p>While every key is a {@link Long} (the usual case: ids), keys are stored as primitives too, so
 * neither a lookup nor a walk dereferences anything: a boxed key made for one record lies among that
 * record's garbage, and reading thousands of them when a window fires is a cache miss each. A walk
 * hands out fresh boxes, allocated together. The first key of another type moves the map to object
 * keys (with their hashes beside them, so that probing compares hashes before calling equals).
 *
 * <p>A {@link #snapshot()} clones the arrays: the same order of work as the bucket-array copy of
 * {@link CowHashMap}, with nothing to copy on later writes, because the values are primitives.
 *
 * <p>Invariants: a key sits at the first free slot at or after its home slot {@code hash & mask},
 * with no free slot between home and it; at most half the slots are used; keys are never removed (a
 * window's map is dropped whole), so no tombstones. Object keys: {@code keys[i] == null} marks a free
 * slot. Long keys ({@code keys == null}): {@code longKeys[i] == 0} marks a free slot, and the key 0
 * itself lives in the extra last slot of {@code values}, present iff {@code hasZeroKey}.
 *
 * @param <K> key type: {@code hashCode} and {@code equals} of a value type
 */
public final class LongValueMap<K> {
    private static final int MIN_CAPACITY = 16;

    /** Null while every key is a Long. */
    private Object[] keys;
    private int[] hashes;
    /** Null once keys are objects. */
    private long[] longKeys;
    private boolean hasZeroKey;
    /** One slot per key slot, plus one for the key 0 of Long keys. */
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
        longKeys = new long[capacity];
        values = new long[capacity + 1];
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
        if (keys == null) {
            if (key instanceof Long l) {
                return longSlotOf(l, initial);
            }
            toObjectKeys();
        }
        int h = hash(key.hashCode());
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

    private int longSlotOf(long key, long initial) {
        if (key == 0) {
            if (!hasZeroKey) {
                hasZeroKey = true;
                values[longKeys.length] = initial;
                size++;
            }
            return longKeys.length;
        }
        int mask = longKeys.length - 1;
        for (int i = hash(Long.hashCode(key)) & mask; ; i = (i + 1) & mask) {
            long k = longKeys[i];
            if (k == key) {
                return i;
            }
            if (k == 0) {
                if (size + 1 > longKeys.length / 2) {
                    grow();
                    return longSlotOf(key, initial);
                }
                longKeys[i] = key;
                values[i] = initial;
                size++;
                return i;
            }
        }
    }

    /** True when {@code key} has a value. */
    public boolean containsKey(K key) {
        if (keys == null) {
            if (!(key instanceof Long l)) {
                return false;
            }
            long v = l;
            if (v == 0) {
                return hasZeroKey;
            }
            int mask = longKeys.length - 1;
            for (int i = hash(Long.hashCode(v)) & mask; longKeys[i] != 0; i = (i + 1) & mask) {
                if (longKeys[i] == v) {
                    return true;
                }
            }
            return false;
        }
        int h = hash(key.hashCode());
        int mask = keys.length - 1;
        for (int i = h & mask; keys[i] != null; i = (i + 1) & mask) {
            if (hashes[i] == h && keys[i].equals(key)) {
                return true;
            }
        }
        return false;
    }

    /** Removes every key, keeping the arrays: a map reused for the next window skips allocating them. */
    public void clear() {
        if (keys == null) {
            Arrays.fill(longKeys, 0);
            hasZeroKey = false;
        } else {
            Arrays.fill(keys, null);
        }
        size = 0;
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
    public <X extends Exception> void forEach(Reader<? super K, X> reader) throws X {
        walk(keys, longKeys, hasZeroKey, values, reader);
    }

    /**
     * Every key and value from slot {@code from} on, in slot order, stopping after a key when
     * {@code stop} says so: returns the slot to go on from, or -1 when all were read. For a walk that
     * pauses between calls; the map must not change in between.
     */
    @SuppressWarnings("unchecked")
    public <X extends Exception> int forEachFrom(int from, BooleanSupplier stop, Reader<? super K, X> reader)
            throws X {
        int slots = keys != null ? keys.length : longKeys.length;
        for (int i = from; i < slots; i++) {
            boolean read = false;
            if (keys != null ? keys[i] != null : longKeys[i] != 0) {
                reader.read((K) (keys != null ? keys[i] : Long.valueOf(longKeys[i])), values[i]);
                read = true;
            }
            if (read && stop.getAsBoolean()) {
                return i + 1;
            }
        }
        if (from <= slots && keys == null && hasZeroKey) {
            reader.read((K) Long.valueOf(0), values[slots]);
        }
        return -1;
    }

    /** The map as it is now, readable from another thread while this one goes on writing. */
    public Snapshot<K> snapshot() {
        return new Snapshot<>(keys == null ? null : keys.clone(), keys == null ? longKeys.clone() : null, hasZeroKey,
                values.clone(), size);
    }

    /** Doubles the arrays, keeping the kind of keys. */
    private void grow() {
        long[] oldValues = values;
        int capacity = (oldValues.length - 1) * 2;
        values = new long[capacity + 1];
        int mask = capacity - 1;
        if (keys == null) {
            long[] old = longKeys;
            longKeys = new long[capacity];
            values[capacity] = oldValues[old.length];
            for (int j = 0; j < old.length; j++) {
                if (old[j] != 0) {
                    int i = hash(Long.hashCode(old[j])) & mask;
                    while (longKeys[i] != 0) {
                        i = (i + 1) & mask;
                    }
                    longKeys[i] = old[j];
                    values[i] = oldValues[j];
                }
            }
            return;
        }
        Object[] oldKeys = keys;
        int[] oldHashes = hashes;
        keys = new Object[capacity];
        hashes = new int[capacity];
        for (int j = 0; j < oldKeys.length; j++) {
            if (oldKeys[j] != null) {
                insertObject(oldKeys[j], oldHashes[j], oldValues[j]);
            }
        }
    }

    /** Moves the Long keys to object keys, for a key of another type. */
    private void toObjectKeys() {
        long[] oldKeys = longKeys;
        long[] oldValues = values;
        int capacity = oldKeys.length;
        keys = new Object[capacity];
        hashes = new int[capacity];
        values = new long[capacity + 1];
        longKeys = null;
        for (int j = 0; j < capacity; j++) {
            if (oldKeys[j] != 0) {
                insertObject(oldKeys[j], hash(Long.hashCode(oldKeys[j])), oldValues[j]);
            }
        }
        if (hasZeroKey) {
            hasZeroKey = false;
            insertObject(0L, hash(Long.hashCode(0L)), oldValues[capacity]);
        }
    }

    /** Puts a key known to be absent, with room for it. */
    private void insertObject(Object key, int h, long value) {
        int mask = keys.length - 1;
        int i = h & mask;
        while (keys[i] != null) {
            i = (i + 1) & mask;
        }
        keys[i] = key;
        hashes[i] = h;
        values[i] = value;
    }

    /** Spreads the high bits down; sequential ids stay in neighbouring slots, which walks and caches like. */
    private static int hash(int h) {
        return h ^ (h >>> 16);
    }

    @SuppressWarnings("unchecked")
    private static <K, X extends Exception> void walk(Object[] keys, long[] longKeys, boolean hasZeroKey,
                                                      long[] values, Reader<? super K, X> reader) throws X {
        if (keys != null) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != null) {
                    reader.read((K) keys[i], values[i]);
                }
            }
            return;
        }
        for (int i = 0; i < longKeys.length; i++) {
            if (longKeys[i] != 0) {
                reader.read((K) Long.valueOf(longKeys[i]), values[i]);
            }
        }
        if (hasZeroKey) {
            reader.read((K) Long.valueOf(0), values[longKeys.length]);
        }
    }

    /** Reads one key and its value; {@code X} is what it may throw (encoding, say). */
    @FunctionalInterface
    public interface Reader<K, X extends Exception> {
        void read(K key, long value) throws X;
    }

    /** The map's content at one moment; owns its arrays. */
    public static final class Snapshot<K> {
        private final Object[] keys;
        private final long[] longKeys;
        private final boolean hasZeroKey;
        private final long[] values;
        private final int size;

        private Snapshot(Object[] keys, long[] longKeys, boolean hasZeroKey, long[] values, int size) {
            this.keys = keys;
            this.longKeys = longKeys;
            this.hasZeroKey = hasZeroKey;
            this.values = values;
            this.size = size;
        }

        public int size() {
            return size;
        }

        public <X extends Exception> void forEach(Reader<? super K, X> reader) throws X {
            walk(keys, longKeys, hasZeroKey, values, reader);
        }
    }
}
