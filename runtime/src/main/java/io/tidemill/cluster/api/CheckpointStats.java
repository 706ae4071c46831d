package io.tidemill.cluster.api;

import java.util.List;

/**
 * {@code GET /jobs/{id}/checkpoints}: counts and the latest completed checkpoints. {@code failed}: not
 * written or timed out; {@code aborted}: in flight when an execution of the job ended.
 */
public record CheckpointStats(int completed, int failed, int aborted, List<Entry> history) {
    public record Entry(long id, String location, long durationMillis, long bytes) {}
}
