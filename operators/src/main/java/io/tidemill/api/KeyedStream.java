package io.tidemill.api;

import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ReduceFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.graph.Node;
import io.tidemill.graph.Partitioning;
import io.tidemill.operator.KeyedProcessOperator;
import io.tidemill.operator.RollingReduce;
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
