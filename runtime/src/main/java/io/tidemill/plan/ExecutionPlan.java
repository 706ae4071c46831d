package io.tidemill.plan;

import io.tidemill.graph.Node;
import io.tidemill.graph.WatermarkUse;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The physical plan: chains of operators (vertices) and the edges between them.
 *
 * @param edges all edges between real nodes; chained edges are those inside one vertex
 * @param vertexOf the vertex of each real node
 * @param parallelismOf the parallelism of each real node
 */
public record ExecutionPlan(String jobName, List<Vertex> vertices, List<PhysicalEdge> edges,
                            Map<Node, Vertex> vertexOf, Map<Node, Integer> parallelismOf, int maxParallelism) {

    /** Edges leaving {@code node} to another vertex. */
    public List<PhysicalEdge> outputsOf(Node node) {
        return edges.stream().filter(e -> e.from() == node && vertexOf.get(e.to()) != vertexOf.get(node)).toList();
    }

    /** Edges entering {@code vertex}'s head. */
    public List<PhysicalEdge> inputsOf(Vertex vertex) {
        return edges.stream().filter(e -> e.to() == vertex.head()).toList();
    }

    /** True if the edge is inside a chain. */
    public boolean isChained(PhysicalEdge e) {
        return vertexOf.get(e.from()) == vertexOf.get(e.to());
    }

    /**
     * The watermark grids of every operator downstream of {@code source} (see {@link WatermarkUse}), or
     * an empty list if one of them may act on any watermark: then the source sends every watermark.
     */
    public List<WatermarkUse> watermarkGrids(Node source) {
        List<WatermarkUse> grids = new ArrayList<>();
        Set<Node> seen = new HashSet<>();
        Deque<Node> todo = new ArrayDeque<>(List.of(source));
        while (!todo.isEmpty()) {
            Node n = todo.poll();
            for (PhysicalEdge e : edges) {
                if (e.from() != n || !seen.add(e.to())) {
                    continue;
                }
                Node to = e.to();
                WatermarkUse use = to.kind() == Node.Kind.SINK ? WatermarkUse.FORWARD : to.watermarkUse();
                switch (use.kind()) {
                    case EXACT -> {
                        return List.of();
                    }
                    case GRID -> {
                        if (!grids.contains(use)) {
                            grids.add(use);
                        }
                    }
                    case FORWARD -> { }
                }
                todo.add(to);
            }
        }
        return grids;
    }

    /** A readable description of the plan, one vertex per line. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (Vertex v : vertices) {
            sb.append(v.index()).append(": ").append(v.name()).append(" [parallelism ").append(v.parallelism())
                    .append("]\n");
        }
        return sb.toString();
    }
}
