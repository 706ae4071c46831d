package io.tidemill.cluster.api;

import java.util.List;

/** {@code GET /jobs/{id}/checkpoints}: counts and the latest completed checkpoints. */
public record CheckpointStats(int completed, int failed, List<Entry> history) {
    public record Entry(long id, String location, long durationMillis, long bytes) {}
}
