package io.tidemill.graph;

import io.tidemill.api.OutputTag;
import io.tidemill.api.source.Source;
import io.tidemill.operator.OperatorFactory;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The nodes a pipeline was built from, in creation order (which is a topological order). */
public final class LogicalGraph {
    private final List<Node> nodes = new ArrayList<>();

    public Node addSource(String name, Source<?> source, WatermarkStrategy<?> strategy) {
        return add(Node.source(nodes.size() + 1, name, source, strategy));
    }

    public Node addOperator(String name, List<Node.Input> inputs, OperatorFactory<?, ?> factory) {
        return add(Node.operator(nodes.size() + 1, Node.Kind.OPERATOR, name, inputs, factory));
    }

    public Node addSink(String name, Node.Input input, OperatorFactory<?, ?> factory) {
        return add(Node.operator(nodes.size() + 1, Node.Kind.SINK, name, List.of(input), factory));
    }

    public Node addUnion(List<Node.Input> inputs) {
        return add(Node.union(nodes.size() + 1, inputs));
    }

    public Node addSideOutput(Node parent, OutputTag<?> tag) {
        return add(Node.sideOutput(nodes.size() + 1, parent, tag));
    }

    public Node addPartition(Node parent, Partitioning partitioning) {
        return add(Node.partition(nodes.size() + 1, parent, partitioning));
    }

    private Node add(Node node) {
        nodes.add(node);
        return node;
    }

    public List<Node> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    /**
     * Checks the pipeline before it runs: every node's own problems, at least one sink, no operator
     * whose output goes nowhere. Throws {@link InvalidPipelineException} naming the operators.
     */
    public void validate() {
        List<String> errors = new ArrayList<>();
        for (Node n : nodes) {
            for (String p : n.problems()) {
                errors.add("operator '" + n.name() + "': " + p);
            }
            if (n.parallelism() == 0 || n.parallelism() < -1) {
                errors.add("operator '" + n.name() + "': parallelism must be positive, was " + n.parallelism());
            }
        }
        for (Node n : nodes) {
            if (n.eventTimeUse() != null && !hasEventTime(n, new HashSet<>())) {
                errors.add(n.eventTimeUse() + " '" + n.name() + "' uses event time but its input has no "
                        + "WatermarkStrategy: call assignTimestampsAndWatermarks(...) on it, or give its source a "
                        + "strategy with a timestamp assigner");
            }
        }
        java.util.Map<String, Node> uids = new java.util.HashMap<>();
        for (Node n : nodes) {
            Node other = n.uid() == null ? null : uids.putIfAbsent(n.uid(), n);
            if (other != null) {
                errors.add("operator '" + n.name() + "': uid '" + n.uid() + "' is already the uid of operator '"
                        + other.name() + "'; every uid must be unique");
            }
        }
        if (nodes.stream().noneMatch(n -> n.kind() == Node.Kind.SINK)) {
            errors.add("the pipeline has no sink: add one with sinkTo(...) or print()");
        } else {
            Set<Node> consumed = new HashSet<>();
            for (Node n : nodes) {
                for (Node.Input in : n.inputs()) {
                    consumed.add(in.node());
                }
            }
            for (Node n : nodes) {
                if (n.kind() != Node.Kind.SINK && !consumed.contains(n) && !n.isBypassed()) {
                    errors.add("operator '" + n.name() + "': its output is never consumed; add a sink or remove it");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidPipelineException(errors);
        }
    }

    /** True if every path into {@code node} passes a timestamp assigner or a source with event time. */
    private static boolean hasEventTime(Node node, Set<Node> seen) {
        for (Node.Input in : node.inputs()) {
            Node up = in.node();
            if (!seen.add(up) || up.assignsTimestamps()) {
                continue;
            }
            if (up.kind() == Node.Kind.SOURCE) {
                if (up.watermarkStrategy() == null || !up.watermarkStrategy().givesEventTime()) {
                    return false;
                }
            } else if (!hasEventTime(up, seen)) {
                return false;
            }
        }
        return true;
    }
}
