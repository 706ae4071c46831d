package io.tidemill.cluster.api;

import io.tidemill.graph.Partitioning;
import io.tidemill.plan.ExecutionPlan;
import io.tidemill.plan.PhysicalEdge;
import io.tidemill.plan.Vertex;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Builds the graph part of {@link JobDetails} from an execution plan and the figures of its subtasks:
 * one shape for a cluster's master (figures as members last reported them) and an embedded run
 * (figures read from its tasks), so that the REST API and the web dashboard read both alike.
 */
public final class JobViews {
    /** Every action of a running job that has a snapshot store. */
    public static final List<String> ALL_ACTIONS = List.of("savepoint", "stop", "cancel");

    /** One subtask's counters, as {@link JobDetails.VertexView} sums them. */
    public record SubtaskFigures(long recordsIn, long recordsOut, long watermark, double busySeconds,
                                 double backpressuredSeconds) {
        /** A subtask that reported nothing yet. */
        public static final SubtaskFigures NONE = new SubtaskFigures(0, 0, Long.MIN_VALUE, 0, 0);
    }

    private JobViews() {}

    /**
     * The vertices of {@code plan} with their figures.
     *
     * @param placement the member of each task, by task index (vertex by vertex, subtask by subtask)
     * @param figures the figures of a task, by task index (null: none reported yet)
     */
    public static List<JobDetails.VertexView> vertices(ExecutionPlan plan, List<String> placement,
                                                       IntFunction<SubtaskFigures> figures) {
        List<JobDetails.VertexView> out = new ArrayList<>();
        int task = 0;
        for (Vertex v : plan.vertices()) {
            List<String> members = new ArrayList<>(v.parallelism());
            long in = 0;
            long sent = 0;
            long wm = Long.MAX_VALUE;
            double busy = 0;
            double backpressured = 0;
            for (int s = 0; s < v.parallelism(); s++, task++) {
                members.add(placement.get(task));
                SubtaskFigures f = figures.apply(task);
                if (f == null) {
                    f = SubtaskFigures.NONE;
                }
                in += f.recordsIn();
                sent += f.recordsOut();
                wm = Math.min(wm, f.watermark());
                busy += f.busySeconds();
                backpressured += f.backpressuredSeconds();
            }
            out.add(new JobDetails.VertexView(v.index(), v.name(), v.parallelism(), members, in, sent, wm, busy,
                    backpressured));
        }
        return out;
    }

    /** The edges between vertices of {@code plan} (edges inside a chain are not shown), each once. */
    public static List<JobDetails.EdgeView> edges(ExecutionPlan plan) {
        Set<JobDetails.EdgeView> out = new LinkedHashSet<>();
        for (PhysicalEdge e : plan.edges()) {
            if (plan.isChained(e)) {
                continue;
            }
            Vertex from = plan.vertexOf().get(e.from());
            Vertex to = plan.vertexOf().get(e.to());
            Partitioning.Type type = e.partitioning().type();
            // a forward edge between different parallelisms rebalances (see Partitioning.Type.FORWARD)
            if (type == Partitioning.Type.FORWARD && from.parallelism() != to.parallelism()) {
                type = Partitioning.Type.REBALANCE;
            }
            out.add(new JobDetails.EdgeView(from.index(), to.index(), type.name().toLowerCase(),
                    e.tag() == null ? null : e.tag().id()));
        }
        return List.copyOf(out);
    }

    /** What a job in {@code status} takes now; without a snapshot store, no savepoint and no stop. */
    public static List<String> actions(JobStatus status, boolean snapshotStore) {
        if (status.isTerminal()) {
            return List.of();
        }
        return status == JobStatus.RUNNING && snapshotStore ? ALL_ACTIONS : List.of("cancel");
    }
}
