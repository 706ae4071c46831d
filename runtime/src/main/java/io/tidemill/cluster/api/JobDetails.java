package io.tidemill.cluster.api;

import java.util.List;

/**
 * {@code GET /jobs/{id}}: the job, the graph of its running execution (vertices with their placement
 * and figures, edges between them), and what can be done to it now.
 *
 * @param startTime when the job was submitted (ms since the epoch)
 * @param endTime when it ended (finished, failed or was cancelled; ms since the epoch), or -1 while it
 *        has not (as Flink's {@code end-time})
 * @param actions what the job takes now, of {@code savepoint}, {@code stop} and {@code cancel} (none
 *        once it ended; no savepoint or stop without a snapshot store)
 */
public record JobDetails(String id, String name, String status, String className, List<String> args,
                         int parallelism, long startTime, long endTime, long executionId, int restarts,
                         String lastFailure, List<VertexView> vertices, List<EdgeView> edges, List<String> actions) {
    /**
     * A vertex of the running execution: where its subtasks are, and how far it got, summed over its
     * subtasks (watermark: the minimum, {@code Long.MIN_VALUE} while one has none). The counters only
     * grow: a client computes rates from the deltas of two reads, and the share of time
     * backpressured as {@code Δ backpressuredSeconds / Δ wall seconds / parallelism}.
     *
     * @param placement the member of each subtask
     * @param recordsOut records sent to the vertex's outgoing edges (0 for a sink)
     */
    public record VertexView(int index, String name, int parallelism, List<String> placement, long recordsIn,
                             long recordsOut, long watermark, double busySeconds, double backpressuredSeconds) {}

    /**
     * An edge between two vertices.
     *
     * @param partitioning {@code forward}, {@code rebalance}, {@code broadcast} or {@code keyed}
     * @param sideOutput the side output it carries, or null for the main output
     */
    public record EdgeView(int from, int to, String partitioning, String sideOutput) {}
}
