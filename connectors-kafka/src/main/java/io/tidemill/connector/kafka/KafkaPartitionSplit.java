package io.tidemill.connector.kafka;

import io.tidemill.api.source.SourceSplit;

/**
 * One partition of a topic, the unit a {@link KafkaSource} spreads over its subtasks.
 *
 * @param startOffset where reading starts when no offset was recorded yet (resolved when the split is
 *                    made, so a restart before the first checkpoint starts at the same place);
 *                    {@link #EARLIEST} for a partition found while the job runs
 * @param stopOffset  for a bounded read, the partition's end when the job first started (the split
 *                    ends there, at every restart alike); {@link #UNBOUNDED} otherwise
 */
public record KafkaPartitionSplit(String topic, int partition, long startOffset, long stopOffset)
        implements SourceSplit {
    /** Start at the partition's beginning, whatever its first offset is then. */
    public static final long EARLIEST = -2;
    public static final long UNBOUNDED = Long.MAX_VALUE;

    @Override
    public String splitId() {
        return topic + "-" + partition;
    }
}
