package io.tidemill.cluster;

import io.tidemill.graph.Node;
import io.tidemill.plan.ExecutionPlan;
import io.tidemill.plan.PhysicalEdge;
import io.tidemill.plan.Vertex;
import java.util.ArrayList;
import java.util.List;

/**
 * What must be the same on every node for a job's tasks to fit together: per vertex, its operators
 * (kind, name, uid, source or operator class), parallelism, and its input edges (producer vertex,
 * partitioning, side output). Channels are wired by vertex and edge index, state is found by
 * operator id, splits are handed out by position: a node whose plan differs in any of these would
 * exchange records with the wrong tasks, so it refuses the job, naming the first vertex that
 * differs.
 */
final class PlanFingerprint {
    private PlanFingerprint() {}

    /** One line per vertex, then one per edge. */
    static List<String> describe(ExecutionPlan plan) {
        List<String> lines = new ArrayList<>();
        lines.add("job " + plan.jobName() + ", max parallelism " + plan.maxParallelism());
        for (Vertex v : plan.vertices()) {
            StringBuilder sb = new StringBuilder();
            sb.append("vertex ").append(v.index()).append(" '").append(v.name()).append("' parallelism ")
                    .append(v.parallelism()).append(": ");
            for (Node n : v.chain()) {
                sb.append('[').append(n.kind()).append(' ').append(n.name());
                if (n.uid() != null) {
                    sb.append(" uid=").append(n.uid());
                }
                Object impl = n.kind() == Node.Kind.SOURCE ? n.source() : n.factory();
                if (impl != null) {
                    sb.append(' ').append(impl.getClass().getName().replaceAll("\\$\\$Lambda.*", " (lambda)"));
                }
                sb.append(']');
            }
            lines.add(sb.toString());
        }
        List<PhysicalEdge> edges = plan.edges();
        for (int i = 0; i < edges.size(); i++) {
            PhysicalEdge e = edges.get(i);
            lines.add("edge " + i + ": vertex " + plan.vertexOf().get(e.from()).index() + " '" + e.from().name()
                    + "' -> vertex " + plan.vertexOf().get(e.to()).index() + " '" + e.to().name() + "' "
                    + e.partitioning().type() + (e.tag() == null ? "" : " side output " + e.tag().id()));
        }
        return lines;
    }

    /** Null if the plans agree, else what differs first (the master's line against this node's). */
    static String difference(List<String> master, List<String> here) {
        int n = Math.min(master.size(), here.size());
        for (int i = 0; i < n; i++) {
            if (!master.get(i).equals(here.get(i))) {
                return "the job builder is not deterministic: the master built " + master.get(i)
                        + ", this node built " + here.get(i);
            }
        }
        if (master.size() != here.size()) {
            return "the job builder is not deterministic: the master's plan has " + master.size()
                    + " vertices and edges, this node's " + here.size();
        }
        return null;
    }
}
