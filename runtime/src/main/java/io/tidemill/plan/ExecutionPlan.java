package io.tidemill.plan;

import io.tidemill.graph.Node;
import java.util.List;
import java.util.Map;

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
