package io.tidemill.api;

import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ReduceFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.graph.Node;
import io.tidemill.graph.Partitioning;
import io.tidemill.operator.KeyedProcessOperator;
import io.tidemill.operator.RollingReduce;
import io.tidemill.window.CountEvictor;
import io.tidemill.window.CountTrigger;
import io.tidemill.window.GlobalWindows;
import io.tidemill.window.PurgingTrigger;
import io.tidemill.window.WindowAssigner;
import java.util.List;
import java.util.function.Supplier;

/**
 * A stream partitioned by key. Operators applied to it see one key at a time and keep keyed state,
 * organised in key groups.
 */
public final class KeyedStream<K, T> {
    final DataStream<T> input;
    final KeySelector<T, K> key;
    /** Why the key type is refused (reported against the operator after the keyBy), or null. */
    final String keyProblem;

    KeyedStream(DataStream<T> input, KeySelector<T, K> key, String keyProblem) {
        this.input = input;
        this.key = key;
        this.keyProblem = keyProblem;
    }

    /**
     * Processes each record with keyed state and timers. Each subtask runs its own copy of
     * {@code fn} (see {@link RichFunction}).
     */
    public <R> DataStream<R> process(KeyedProcessFunction<K, T, R> fn) {
        return process(RichFunction.perSubtask(fn));
    }

    /**
     * Processes each record with keyed state and timers; {@code function} is called once per
     * subtask for the instance that subtask runs: {@code keyed.process(MyFunction::new)}.
     */
    public <R> DataStream<R> process(Supplier<? extends KeyedProcessFunction<K, T, R>> function) {
        return keyedOperator("process", List.of(input.node),
                () -> new KeyedProcessOperator<>(key, function.get()));
    }

    /** Emits, for each record, the reduction of all records of its key so far. */
    public DataStream<T> reduce(ReduceFunction<T> fn) {
        return process(new RollingReduce<>(fn)).name("reduce");
    }

    /** Groups the records of each key into windows. */
    public WindowedStream<K, T> window(WindowAssigner assigner) {
        return new WindowedStream<>(this, assigner);
    }

    /**
     * Windows of {@code size} records per key, each record in one (Flink's {@code countWindow}):
     * global windows fired and purged by a count trigger. The records left over at the end of a
     * bounded input are not emitted, as in Flink.
     */
    public WindowedStream<K, T> countWindow(long size) {
        return window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(size)));
    }

    /**
     * Sliding windows of the last {@code size} records per key, emitted every {@code slide} records
     * (Flink's {@code countWindow(size, slide)}): a count trigger and a count evictor on global windows.
     */
    public WindowedStream<K, T> countWindow(long size, long slide) {
        return window(GlobalWindows.create()).evictor(CountEvictor.of(size)).trigger(CountTrigger.of(slide));
    }

    /** Joins with another keyed stream on records whose timestamps are within an interval. */
    public <B> IntervalJoin<K, T, B> intervalJoin(KeyedStream<K, B> other) {
        return new IntervalJoin<>(this, other);
    }

    <R> DataStream<R> keyedOperator(String name, List<Node> inputs, io.tidemill.operator.OperatorFactory<T, R> f) {
        Partitioning p = Partitioning.keyed(key);
        List<Node.Input> edges = inputs.stream().map(n -> new Node.Input(n, p)).toList();
        Node node = input.pipeline.graph().addOperator(name, edges, f);
        if (keyProblem != null) {
            node.addProblem(keyProblem);
        }
        return new DataStream<>(input.pipeline, node);
    }
}
