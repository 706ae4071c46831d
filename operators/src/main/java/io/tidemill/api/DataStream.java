package io.tidemill.api;

import io.tidemill.api.function.FilterFunction;
import io.tidemill.api.function.FlatMapFunction;
import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.MapFunction;
import io.tidemill.api.function.ProcessFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.api.sink.PrintSink;
import io.tidemill.api.sink.Sink;
import io.tidemill.graph.Node;
import io.tidemill.graph.Partitioning;
import io.tidemill.graph.WatermarkUse;
import io.tidemill.operator.OperatorFactory;
import io.tidemill.operator.ProcessOperator;
import io.tidemill.operator.SinkOperator;
import io.tidemill.operator.StatelessOperators;
import io.tidemill.operator.TimestampsOperator;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A stream of records of type {@code T}. Transformations return new streams; nothing runs until
 * the pipeline is executed.
 */
public class DataStream<T> {
    final Pipeline pipeline;
    final Node node;

    DataStream(Pipeline pipeline, Node node) {
        this.pipeline = pipeline;
        this.node = node;
    }

    public Pipeline pipeline() {
        return pipeline;
    }

    /** The logical node producing this stream (for the engine and tools). */
    public Node node() {
        return node;
    }

    public <R> DataStream<R> map(MapFunction<T, R> fn) {
        return forwardingWatermarks(transform("map", StatelessOperators.map(fn)));
    }

    public DataStream<T> filter(FilterFunction<T> fn) {
        return forwardingWatermarks(transform("filter", StatelessOperators.filter(fn)));
    }

    public <R> DataStream<R> flatMap(FlatMapFunction<T, R> fn) {
        return forwardingWatermarks(transform("flatMap", StatelessOperators.flatMap(fn)));
    }

    private static <R> DataStream<R> forwardingWatermarks(DataStream<R> s) {
        s.node.useWatermarks(WatermarkUse.FORWARD);
        return s;
    }

    /**
     * Processes each record with a {@link ProcessFunction} (side outputs, timestamps, watermark);
     * each subtask runs its own copy of {@code fn}.
     */
    public <R> DataStream<R> process(ProcessFunction<T, R> fn) {
        return process(RichFunction.perSubtask(fn));
    }

    /** As {@link #process(ProcessFunction)}; {@code function} gives each subtask its instance. */
    public <R> DataStream<R> process(Supplier<? extends ProcessFunction<T, R>> function) {
        return transform("process", () -> new ProcessOperator<>(function.get()));
    }

    /** Re-assigns timestamps and watermarks from here on (upstream watermarks are replaced). */
    public DataStream<T> assignTimestampsAndWatermarks(WatermarkStrategy<T> strategy) {
        DataStream<T> out = transform("timestamps", () -> new TimestampsOperator<>(strategy));
        out.node.markAssignsTimestamps();
        return out;
    }

    /** Applies a custom operator; the escape hatch for operators the API does not offer. */
    public <R> DataStream<R> transform(String name, OperatorFactory<T, R> factory) {
        return new DataStream<>(pipeline, pipeline.graph().addOperator(name,
                List.of(new Node.Input(node, Partitioning.FORWARD)), factory));
    }

    /** The records of this stream and the others, interleaved; watermarks are the minimum of all. */
    @SafeVarargs
    public final DataStream<T> union(DataStream<T>... others) {
        List<Node.Input> inputs = new ArrayList<>();
        inputs.add(new Node.Input(node, Partitioning.FORWARD));
        for (DataStream<T> o : others) {
            if (o.pipeline != pipeline) {
                throw new IllegalArgumentException("cannot union streams of different pipelines");
            }
            inputs.add(new Node.Input(o.node, Partitioning.FORWARD));
        }
        return new DataStream<>(pipeline, pipeline.graph().addUnion(inputs));
    }

    /**
     * Partitions by key: records with equal keys go to the same subtask, which holds their state.
     * Keys are hashed alike in every JVM ({@link io.tidemill.state.KeyHash}): strings, boxed
     * primitives, enums, records and lists of them, or classes with their own {@code hashCode}; a
     * key that is an array or has an identity hash code fails the job naming its type.
     */
    public <K> KeyedStream<K, T> keyBy(KeySelector<T, K> key) {
        return new KeyedStream<>(this, key, null);
    }

    /**
     * As {@link #keyBy(KeySelector)}, with the key type given so that a key type without a stable
     * hash is refused when the pipeline is built.
     */
    public <K> KeyedStream<K, T> keyBy(KeySelector<T, K> key, Class<K> keyType) {
        String problem = null;
        try {
            io.tidemill.state.KeyHash.check(keyType);
        } catch (io.tidemill.state.UnstableKeyException e) {
            problem = "keyBy: " + e.getMessage();
        }
        return new KeyedStream<>(this, key, problem);
    }

    /**
     * Groups the whole stream (not keyed) into windows; event-time tumbling or sliding aggregates
     * run in parallel: see {@link AllWindowedStream}.
     */
    public AllWindowedStream<T> windowAll(io.tidemill.window.WindowAssigner assigner) {
        return new AllWindowedStream<>(this, assigner);
    }

    /** Distributes records round robin over the next operator's subtasks. */
    public DataStream<T> rebalance() {
        return new DataStream<>(pipeline, pipeline.graph().addPartition(node, Partitioning.REBALANCE));
    }

    /** Sends every record to every subtask of the next operator. */
    public DataStream<T> broadcast() {
        return new DataStream<>(pipeline, pipeline.graph().addPartition(node, Partitioning.BROADCAST));
    }

    /** The records this stream's operator emitted to a side output (for example late data). */
    public <X> DataStream<X> getSideOutput(OutputTag<X> tag) {
        return new DataStream<>(pipeline, pipeline.graph().addSideOutput(node, tag));
    }

    /** Names the operator producing this stream (shown in errors, metrics and the plan). */
    public DataStream<T> name(String name) {
        requireOperator("name");
        node.setName(name);
        return this;
    }

    /**
     * Gives the operator producing this stream a stable id, under which snapshots keep its state.
     * Without one, an operator's state is keyed by its position in the pipeline, so a savepoint
     * only restores into the same pipeline; with uids on the stateful operators, operators may be
     * added (they start empty) or moved. Letters, digits, '.', '_' and '-'; unique in the pipeline.
     */
    public DataStream<T> uid(String uid) {
        requireOperator("uid");
        node.setUid(uid);
        return this;
    }

    /** Sets the parallelism of the operator producing this stream. */
    public DataStream<T> setParallelism(int parallelism) {
        requireOperator("setParallelism");
        node.setParallelism(parallelism);
        return this;
    }

    private void requireOperator(String what) {
        if (node.isVirtual()) {
            throw new IllegalStateException(what + "() applies to an operator, not to a " + node.kind().name()
                    .toLowerCase().replace('_', ' '));
        }
    }

    /** Ends the stream in a sink. */
    public SinkStream sinkTo(Sink<T> sink) {
        return sinkTo(sink, "sink");
    }

    public SinkStream sinkTo(Sink<T> sink, String name) {
        return new SinkStream(pipeline.graph().addSink(name, new Node.Input(node, Partitioning.FORWARD),
                (io.tidemill.operator.OperatorFactory<T, Void>) () -> new SinkOperator<>(sink)));
    }

    /** Prints every record to standard output. */
    public SinkStream print() {
        return sinkTo(new PrintSink<>(), "print");
    }

    /** Starts a window join with another stream: {@code a.join(b).where(..).equalTo(..).window(..).apply(..)}. */
    public <B> JoinedStreams<T, B> join(DataStream<B> other) {
        return new JoinedStreams<>(this, other);
    }

    /**
     * Starts a window co-group with another stream, each key's records of both sides in a window
     * handed over together: {@code a.coGroup(b).where(..).equalTo(..).window(..).apply(..)}.
     */
    public <B> CoGroupedStreams<T, B> coGroup(DataStream<B> other) {
        return new CoGroupedStreams<>(this, other);
    }

    /** Connects two streams for a keyed co-process function sharing state between them. */
    public <B> ConnectedStreams<T, B> connect(DataStream<B> other) {
        return new ConnectedStreams<>(this, other);
    }
}
