package io.tidemill.graph;

import io.tidemill.api.OutputTag;
import io.tidemill.api.source.Source;
import io.tidemill.operator.OperatorFactory;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * One node of the logical graph the fluent API builds. Sources, operators and sinks become tasks;
 * unions, side outputs and re-partitionings are virtual: the planner folds them into edges.
 */
public final class Node {
    /** What a node is. */
    public enum Kind { SOURCE, OPERATOR, SINK, UNION, SIDE_OUTPUT, PARTITION }

    /** An incoming edge: records of {@code node} distributed by {@code partitioning}. */
    public record Input(Node node, Partitioning partitioning) {}

    private final int id;
    private final Kind kind;
    private String name;
    private String uid;
    private Node uidOwner;
    private String uidPart;
    private int parallelism = -1;
    /** The node whose parallelism this one takes when none is set on it, or null: the pipeline's. */
    private Node parallelismOf;
    private boolean bypassed;
    private final List<Input> inputs;
    private final OperatorFactory<?, ?> factory;
    private final Source<?> source;
    private final WatermarkStrategy<?> watermarkStrategy;
    private final OutputTag<?> tag;
    private final Partitioning partitioning;
    private final List<String> problems = new ArrayList<>();
    /** What of this operator needs event time on its input ("window", "interval join"), or null. */
    private String eventTimeUse;
    /** True for an operator that assigns timestamps and watermarks itself. */
    private boolean assignsTimestamps;
    /** What this operator decides from its watermarks; sources may leave out the rest. */
    private WatermarkUse watermarkUse = WatermarkUse.EXACT;

    private Node(int id, Kind kind, String name, List<Input> inputs, OperatorFactory<?, ?> factory, Source<?> source,
                 WatermarkStrategy<?> watermarkStrategy, OutputTag<?> tag, Partitioning partitioning) {
        this.id = id;
        this.kind = kind;
        this.name = name;
        this.inputs = List.copyOf(inputs);
        this.factory = factory;
        this.source = source;
        this.watermarkStrategy = watermarkStrategy;
        this.tag = tag;
        this.partitioning = partitioning;
    }

    static Node source(int id, String name, Source<?> source, WatermarkStrategy<?> strategy) {
        return new Node(id, Kind.SOURCE, name, List.of(), null, source, strategy, null, null);
    }

    static Node operator(int id, Kind kind, String name, List<Input> inputs, OperatorFactory<?, ?> factory) {
        return new Node(id, kind, name, inputs, factory, null, null, null, null);
    }

    static Node union(int id, List<Input> inputs) {
        return new Node(id, Kind.UNION, "union", inputs, null, null, null, null, null);
    }

    static Node sideOutput(int id, Node parent, OutputTag<?> tag) {
        return new Node(id, Kind.SIDE_OUTPUT, "side-output(" + tag.id() + ")",
                List.of(new Input(parent, Partitioning.FORWARD)), null, null, null, tag, null);
    }

    static Node partition(int id, Node parent, Partitioning partitioning) {
        return new Node(id, Kind.PARTITION, partitioning.type().name().toLowerCase(),
                List.of(new Input(parent, Partitioning.FORWARD)), null, null, null, null, partitioning);
    }

    public int id() {
        return id;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isVirtual() {
        return kind == Kind.UNION || kind == Kind.SIDE_OUTPUT || kind == Kind.PARTITION;
    }

    public String name() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    /** The stable id its state is saved under, or null: then its position in the pipeline is. */
    public String uid() {
        if (uid == null && uidOwner != null && uidOwner.uid() != null) {
            return uidOwner.uid() + "/" + uidPart; // '/' is not allowed in a user's uid: no clash
        }
        return uid;
    }

    /**
     * Makes this node, a hidden step of what {@code owner} stands for (a {@code windowAll}'s local
     * step), take its uid from the owner's: {@code <owner uid>/<part>}.
     */
    public void deriveUidFrom(Node owner, String part) {
        this.uidOwner = owner;
        this.uidPart = part;
    }

    /** See {@link #uid()}; an id that is not {@code [A-Za-z0-9._-]+} becomes a problem of this node. */
    public void setUid(String uid) {
        if (uid == null || !uid.matches("[A-Za-z0-9._-]+")) {
            addProblem("uid must be letters, digits, '.', '_' or '-', was '" + uid + "'");
            return;
        }
        this.uid = uid;
    }

    /** The parallelism set on this node, or -1 for the pipeline's default. */
    public int parallelism() {
        return parallelism;
    }

    public void setParallelism(int parallelism) {
        this.parallelism = parallelism;
    }

    /**
     * Makes this node run at {@code producer}'s parallelism unless one is set on it, so that a
     * forward edge from {@code producer} stays one-to-one (a pre-aggregation's local step beside its
     * input). {@code producer} must come before this node in the graph.
     */
    public void takeParallelismOf(Node producer) {
        this.parallelismOf = producer;
    }

    /**
     * Marks this virtual node as consumed although no node names it as an input: an operator took
     * its inputs directly (a pre-aggregation's local steps, placed beside each input of a union).
     */
    public void markBypassed() {
        this.bypassed = true;
    }

    public boolean isBypassed() {
        return bypassed;
    }

    /** See {@link #takeParallelismOf}; null when this node defaults to the pipeline's parallelism. */
    public Node parallelismOf() {
        return parallelismOf;
    }

    public List<Input> inputs() {
        return inputs;
    }

    public OperatorFactory<?, ?> factory() {
        return factory;
    }

    public Source<?> source() {
        return source;
    }

    public WatermarkStrategy<?> watermarkStrategy() {
        return watermarkStrategy;
    }

    public OutputTag<?> tag() {
        return tag;
    }

    public Partitioning partitioning() {
        return partitioning;
    }

    /** Marks this operator as needing event time on its input; {@code what} names the use in errors. */
    public void requireEventTime(String what) {
        this.eventTimeUse = what;
    }

    /** What of this operator needs event time, or null if nothing does. */
    public String eventTimeUse() {
        return eventTimeUse;
    }

    /** Marks this operator as the one assigning timestamps and watermarks from here on. */
    public void markAssignsTimestamps() {
        this.assignsTimestamps = true;
    }

    public boolean assignsTimestamps() {
        return assignsTimestamps;
    }

    /** Declares what this operator decides from the watermarks it receives (EXACT unless declared). */
    public void useWatermarks(WatermarkUse use) {
        this.watermarkUse = java.util.Objects.requireNonNull(use);
    }

    public WatermarkUse watermarkUse() {
        return watermarkUse;
    }

    /** Reasons this node is invalid, reported when the pipeline is built. */
    public List<String> problems() {
        return problems;
    }

    public void addProblem(String problem) {
        problems.add(problem);
    }

    /** True if the node's input is keyed (it gets keyed state). */
    public boolean isKeyed() {
        return !inputs.isEmpty() && inputs.get(0).partitioning().type() == Partitioning.Type.KEYED;
    }

    @Override
    public String toString() {
        return name + "#" + id;
    }
}
