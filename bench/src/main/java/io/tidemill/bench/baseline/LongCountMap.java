package io.tidemill.bench.baseline;

import java.util.Arrays;

/**
 * An open-addressing map from long keys to long counts, without boxing. Iterate with
 * {@link #capacity()}, {@link #isUsed(int)}, {@link #keyAt(int)} and {@link #countAt(int)}.
 */
final class LongCountMap {

    private long[] keys;
    private long[] counts;
    private boolean[] used;
    private int size;

    LongCountMap() {
        this(16);
    }

    LongCountMap(int initialCapacity) {
        int capacity = Integer.highestOneBit(Math.max(16, initialCapacity) * 2 - 1);
        keys = new long[capacity];
        counts = new long[capacity];
        used = new boolean[capacity];
    }

    /** Adds {@code delta} to the count of {@code key} (absent keys count 0). */
    void add(long key, long delta) {
        int mask = keys.length - 1;
        int slot = hash(key) & mask;
        while (used[slot]) {
            if (keys[slot] == key) {
                counts[slot] += delta;
                return;
            }
            slot = (slot + 1) & mask;
        }
        used[slot] = true;
        keys[slot] = key;
        counts[slot] = delta;
        if (++size * 4 > keys.length * 3) {
            grow();
        }
    }

    int size() {
        return size;
    }

    int capacity() {
        return keys.length;
    }

    boolean isUsed(int slot) {
        return used[slot];
    }

    long keyAt(int slot) {
        return keys[slot];
    }

    long countAt(int slot) {
        return counts[slot];
    }

    /** Removes every entry, keeping the capacity. */
    void clear() {
        if (size > 0) {
            Arrays.fill(used, false);
            size = 0;
        }
    }

    private void grow() {
        long[] oldKeys = keys;
        long[] oldCounts = counts;
        boolean[] oldUsed = used;
        keys = new long[oldKeys.length * 2];
        counts = new long[oldKeys.length * 2];
        used = new boolean[oldKeys.length * 2];
        size = 0;
        for (int i = 0; i < oldKeys.length; i++) {
            if (oldUsed[i]) {
                add(oldKeys[i], oldCounts[i]);
            }
        }
    }

    private static int hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
