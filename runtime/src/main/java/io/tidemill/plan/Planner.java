package io.tidemill.plan;

import io.tidemill.api.Pipeline;
import io.tidemill.graph.InvalidPipelineException;
import io.tidemill.graph.Node;
import io.tidemill.graph.Partitioning;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a pipeline's logical graph into an execution plan.
 *
 * <p>Virtual nodes are folded into edges: a union gives its consumer one edge per union input, a
 * re-partitioning sets the edge's partitioning (a consumer's keyBy wins over it), a side output sets
 * the edge's tag. A forward edge between different parallelisms becomes a rebalance. A node is
 * chained to its producer when it has exactly one input edge, the edge is forward, main output, same
 * parallelism, and it is the producer's only consumer. A keyed edge between two operators of
 * parallelism 1 is chained too: every key goes to the single subtask anyway. A node without a
 * parallelism of its own runs at the pipeline's, or at its producer's if it takes its producer's
 * ({@link Node#takeParallelismOf}); nodes come in the order they were built, producers first.
 */
public final class Planner {
    private Planner() {}

    public static ExecutionPlan plan(Pipeline pipeline) {
        pipeline.graph().validate();
        List<Node> real = pipeline.graph().nodes().stream().filter(n -> !n.isVirtual()).toList();
        Map<Node, Integer> parallelism = new HashMap<>();
        // As in Flink, the key groups bound the parallelism (and all-to-all exchanges grow with its square).
        String fix = " is higher than the max parallelism " + pipeline.maxParallelism() + " (the number of key "
                + "groups); lower the parallelism or raise the max parallelism with Pipeline.setMaxParallelism "
                + "(at most 32768)";
        List<String> tooWide = new ArrayList<>();
        if (pipeline.parallelism() > pipeline.maxParallelism()
                && real.stream().anyMatch(n -> n.parallelism() <= 0)) {
            tooWide.add("the pipeline's parallelism " + pipeline.parallelism() + fix);
        }
        for (Node n : real) {
            int p = n.parallelism() > 0 ? n.parallelism()
                    : n.parallelismOf() != null ? parallelism.get(n.parallelismOf()) : pipeline.parallelism();
            if (n.parallelism() > pipeline.maxParallelism()) {
                tooWide.add("operator '" + n.name() + "': parallelism " + p + fix);
            }
            parallelism.put(n, p);
        }
        if (!tooWide.isEmpty()) {
            throw new InvalidPipelineException(tooWide);
        }
        List<PhysicalEdge> edges = new ArrayList<>();
        for (Node n : real) {
            for (Node.Input in : n.inputs()) {
                resolve(in.node(), n, null, in.partitioning(), edges);
            }
        }
        List<PhysicalEdge> fixed = new ArrayList<>();
        for (PhysicalEdge e : edges) {
            if (e.partitioning().type() == Partitioning.Type.FORWARD
                    && !parallelism.get(e.from()).equals(parallelism.get(e.to()))) {
                e = new PhysicalEdge(e.from(), e.to(), e.tag(), Partitioning.REBALANCE);
            }
            fixed.add(e);
        }
        Map<Node, List<Node>> chainOf = new LinkedHashMap<>();
        Map<Node, Node> headOf = new HashMap<>();
        for (Node n : real) {
            Node producer = chainableProducer(n, fixed, parallelism);
            if (producer != null) {
                Node head = headOf.get(producer);
                chainOf.get(head).add(n);
                headOf.put(n, head);
            } else {
                List<Node> chain = new ArrayList<>();
                chain.add(n);
                chainOf.put(n, chain);
                headOf.put(n, n);
            }
        }
        List<Vertex> vertices = new ArrayList<>();
        Map<Node, Vertex> vertexOf = new HashMap<>();
        for (Map.Entry<Node, List<Node>> e : chainOf.entrySet()) {
            Vertex v = new Vertex(vertices.size(), List.copyOf(e.getValue()), parallelism.get(e.getKey()));
            vertices.add(v);
            for (Node n : e.getValue()) {
                vertexOf.put(n, v);
            }
        }
        return new ExecutionPlan(pipeline.name(), vertices, fixed, vertexOf, parallelism, pipeline.maxParallelism());
    }

    private static void resolve(Node from, Node to, io.tidemill.api.OutputTag<?> tag, Partitioning p,
                                List<PhysicalEdge> out) {
        switch (from.kind()) {
            case UNION -> {
                for (Node.Input in : from.inputs()) {
                    resolve(in.node(), to, tag, p, out);
                }
            }
            case PARTITION -> resolve(from.inputs().get(0).node(), to, tag,
                    p.type() == Partitioning.Type.FORWARD ? from.partitioning() : p, out);
            case SIDE_OUTPUT -> {
                Node parent = from.inputs().get(0).node();
                if (parent.isVirtual()) {
                    throw new IllegalArgumentException("side output '" + from.tag().id()
                            + "' must be taken from an operator's stream, not from a " + parent.kind());
                }
                resolve(parent, to, from.tag(), p, out);
            }
            default -> out.add(new PhysicalEdge(from, to, tag, p));
        }
    }

    private static Node chainableProducer(Node n, List<PhysicalEdge> edges, Map<Node, Integer> parallelism) {
        List<PhysicalEdge> in = edges.stream().filter(e -> e.to() == n).toList();
        if (in.size() != 1) {
            return null;
        }
        PhysicalEdge e = in.get(0);
        Node from = e.from();
        boolean onlyConsumer = edges.stream().filter(x -> x.from() == from).count() == 1;
        // A keyed edge between two single subtasks sends every key to the one consumer: a forward edge.
        boolean forward = e.partitioning().type() == Partitioning.Type.FORWARD
                || e.partitioning().type() == Partitioning.Type.KEYED && parallelism.get(from).intValue() == 1
                && parallelism.get(n).intValue() == 1;
        if (e.tag() == null && forward && onlyConsumer
                && from.kind() != Node.Kind.SINK && parallelism.get(from).equals(parallelism.get(n))) {
            return from;
        }
        return null;
    }
}
