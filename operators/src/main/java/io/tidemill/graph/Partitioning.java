package io.tidemill.graph;

import io.tidemill.api.function.KeySelector;

/**
 * How records of an edge are distributed over the consumer's subtasks.
 *
 * @param key the key selector, for {@link Type#KEYED} only
 */
public record Partitioning(Type type, KeySelector<?, ?> key) {
    /** The distribution patterns. */
    public enum Type {
        /** Subtask i to subtask i (chained when possible); rebalance when parallelism differs. */
        FORWARD,
        /** Round robin over all consumer subtasks. */
        REBALANCE,
        /** Every record to every consumer subtask. */
        BROADCAST,
        /** By key group of the record's key. */
        KEYED
    }

    public static final Partitioning FORWARD = new Partitioning(Type.FORWARD, null);
    public static final Partitioning REBALANCE = new Partitioning(Type.REBALANCE, null);
    public static final Partitioning BROADCAST = new Partitioning(Type.BROADCAST, null);

    public static Partitioning keyed(KeySelector<?, ?> key) {
        return new Partitioning(Type.KEYED, key);
    }
}
