package io.tidemill.state;

/**
 * Maps keys to key groups and key groups to subtasks.
 *
 * <p>A key group is the unit of keyed state and of rescaling: key → {@code hash mod maxParallelism}
 * → the subtask owning that contiguous range. Rescaling a job re-assigns whole key groups, so it is a
 * restore, not a reshuffle of individual keys.
 */
public final class KeyGroups {
    /** The default number of key groups, as in Flink. */
    public static final int DEFAULT_MAX_PARALLELISM = 128;

    private KeyGroups() {}

    /**
     * The key group of {@code key}; {@code key} must not be null. Uses {@link KeyHash}, the same in
     * every JVM; throws {@link UnstableKeyException} for a key type that has no such hash.
     */
    public static int keyGroupOf(Object key, int maxParallelism) {
        int h = scramble(KeyHash.of(key));
        // a mask instead of a division for the usual power of two (equal to floorMod then)
        return (maxParallelism & (maxParallelism - 1)) == 0 ? h & (maxParallelism - 1) : Math.floorMod(h, maxParallelism);
    }

    /** The subtask (0-based) that owns {@code keyGroup} at the given parallelism. */
    public static int subtaskOf(int keyGroup, int maxParallelism, int parallelism) {
        return keyGroup * parallelism / maxParallelism;
    }

    /** The contiguous key-group range owned by {@code subtask}; the inverse of {@link #subtaskOf}. */
    public static KeyGroupRange rangeOf(int subtask, int maxParallelism, int parallelism) {
        int start = (subtask * maxParallelism + parallelism - 1) / parallelism;
        int end = ((subtask + 1) * maxParallelism - 1) / parallelism;
        return new KeyGroupRange(start, end);
    }

    /** Murmur3's finaliser: user hash codes are often poorly distributed in the low bits. */
    static int scramble(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        h *= 0xc2b2ae35;
        h ^= h >>> 16;
        return h;
    }
}
