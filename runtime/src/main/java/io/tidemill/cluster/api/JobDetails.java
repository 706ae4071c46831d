package io.tidemill.cluster.api;

import java.util.List;

/** {@code GET /jobs/{id}}. */
public record JobDetails(String id, String name, String status, String className, List<String> args,
                         int parallelism, long startTime, long executionId, int restarts, String lastFailure,
                         List<VertexView> vertices) {
    /**
     * A vertex of the running execution: where its subtasks are, and how far it got (summed over
     * subtasks; watermark: the minimum, {@code Long.MIN_VALUE} when none yet).
     */
    public record VertexView(int index, String name, int parallelism, List<String> placement, long recordsIn,
                             long recordsOut, long watermark) {}
}
