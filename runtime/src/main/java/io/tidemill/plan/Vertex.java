package io.tidemill.plan;

import io.tidemill.graph.Node;
import java.util.List;

/** Nodes fused into one task (a chain), run by {@code parallelism} subtasks. */
public record Vertex(int index, List<Node> chain, int parallelism) {
    public Node head() {
        return chain.get(0);
    }

    public Node tail() {
        return chain.get(chain.size() - 1);
    }

    public String name() {
        StringBuilder sb = new StringBuilder();
        for (Node n : chain) {
            if (sb.length() > 0) {
                sb.append(" -> ");
            }
            sb.append(n.name());
        }
        return sb.toString();
    }
}
