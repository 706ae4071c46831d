package io.tidemill.api;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.LongAggregateFunction;
import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.checkpoint.codec.StateCopier;
import io.tidemill.graph.Node;
import io.tidemill.graph.WatermarkUse;
import io.tidemill.window.LocalWindowOperator;
import io.tidemill.window.SlidingWindows;
import io.tidemill.window.TumblingWindows;
import io.tidemill.window.WindowAssigner;
import io.tidemill.window.WindowPartial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds a window aggregated in two phases, for {@code windowAll} and {@code preAggregate}: a local
 * step chained to the input (at its parallelism) folds each subtask's records per key and pane
 * ({@link LocalWindowOperator}), then a keyed window of the user's assigner merges the partials with the aggregate's {@code merge}
 * and evaluates the window.
 */
final class TwoPhaseWindows {
    private TwoPhaseWindows() {}

    /**
     * The merged windows' results. {@code localKey} is null for a window over the whole stream;
     * {@code mergeKey} routes partials to the merging step; {@code allowedLateness} (a negative one
     * is among the {@code problems}) and
     * {@code lateTag} (null: late records are counted as dropped) apply to the merged windows, which
     * judge lateness as a window after a plain {@code keyBy} does; {@code fn} null emits the
     * aggregate's result (else it gives each subtask its window function); {@code problems} are reported against the local step.
     */
    static <T, K, MK, ACC, V, R> DataStream<R> build(String name, DataStream<T> input, KeySelector<T, K> localKey,
                                                     KeySelector<WindowPartial<K, ACC>, MK> mergeKey,
                                                     WindowAssigner assigner, long allowedLateness,
                                                     OutputTag<T> lateTag, AggregateFunction<T, ACC, V> agg,
                                                     Supplier<? extends ProcessWindowFunction<V, R, MK>> fn,
                                                     List<String> problems) {
        TumblingWindows panes = panesOf(assigner);
        boolean keepLate = lateTag != null;
        List<DataStream<WindowPartial<K, ACC>>> locals = new ArrayList<>();
        for (Node producer : producersOf(input.node)) {
            DataStream<WindowPartial<K, ACC>> local = new DataStream<T>(input.pipeline, producer)
                    .transform(name + ".local", () -> new LocalWindowOperator<>(localKey, panes, agg, keepLate));
            local.node.takeParallelismOf(producer.kind() == Node.Kind.SIDE_OUTPUT
                    ? producer.inputs().get(0).node() : producer);
            problems.forEach(local.node::addProblem);
            // Sends a pane's partials when the watermark reaches the pane's last timestamp; judges nothing late.
            local.node.useWatermarks(WatermarkUse.panes(panes.paneSize(), panes.paneOffset()));
            locals.add(local);
        }
        DataStream<WindowPartial<K, ACC>> partials = locals.size() == 1 ? locals.get(0)
                : locals.get(0).union(locals.subList(1, locals.size()).toArray(DataStream[]::new));
        WindowedStream<MK, WindowPartial<K, ACC>> merged = partials.keyBy(mergeKey).window(assigner);
        if (allowedLateness > 0) {
            merged.allowedLateness(Duration.ofMillis(allowedLateness));
        }
        if (lateTag != null) {
            merged.sideOutputLateRecordsOfPartials(lateTag);
        }
        AggregateFunction<WindowPartial<K, ACC>, ACC, V> merging = mergingOf(agg, assigner instanceof SlidingWindows);
        @SuppressWarnings("unchecked")
        DataStream<R> out = fn == null ? (DataStream<R>) merged.aggregate(merging) : merged.aggregate(merging, fn);
        for (int i = 0; i < locals.size(); i++) { // a uid() on the result names both steps
            locals.get(i).node.deriveUidFrom(out.node, i == 0 ? "local" : "local-" + i);
        }
        return out.name(name);
    }

    /**
     * Where the local steps go: beside each operator (or side output) producing the input, one
     * local step per input of a union, past any re-partitioning (the merging step's keyBy overrides
     * it, as a keyBy after it would). Each local step runs at its producer's parallelism behind a
     * one-to-one forward edge, so that every record reaches it behind the same watermarks as a window
     * after a plain keyBy would see: behind a round-robin edge a late record could reach the merging
     * step through one local subtask before the watermark that made it late came through another,
     * and be counted in a window that had fired.
     */
    private static List<Node> producersOf(Node node) {
        if (node.kind() == Node.Kind.UNION || node.kind() == Node.Kind.PARTITION) {
            node.markBypassed();
            return node.inputs().stream().flatMap(in -> producersOf(in.node()).stream()).toList();
        }
        return List.of(node);
    }

    /** The tumbling windows whose panes tile every window of {@code assigner}. */
    private static TumblingWindows panesOf(WindowAssigner assigner) {
        if (assigner instanceof SlidingWindows s && s.size() > 0 && s.slide() > 0) {
            long pane = s.paneSize();
            return new TumblingWindows(pane, Math.floorMod(s.offset(), pane), true);
        }
        if (assigner instanceof TumblingWindows t && t.size() > 0) {
            return t;
        }
        return new TumblingWindows(1, 0, true); // an invalid assigner: the pipeline is rejected before it runs
    }

    /** The merging step's aggregate: unboxed when {@code agg}'s accumulator is one long. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static <T, K, ACC, V> AggregateFunction<WindowPartial<K, ACC>, ACC, V> mergingOf(
            AggregateFunction<T, ACC, V> agg, boolean partialsShared) {
        if (agg instanceof LongAggregateFunction<?, ?> longAgg) {
            return (AggregateFunction) new LongMerging<>((LongAggregateFunction<T, V>) longAgg);
        }
        return new Merging<>(agg, partialsShared);
    }

    /** Folds partials of a {@link LongAggregateFunction} with its {@code merge}, unboxed. */
    private record LongMerging<T, K, V>(LongAggregateFunction<T, V> agg)
            implements LongAggregateFunction<WindowPartial<K, long[]>, V> {
        @Override
        public long initial() {
            return agg.initial();
        }

        @Override
        public long add(WindowPartial<K, long[]> partial, long acc) {
            return agg.merge(acc, partial.acc()[0]);
        }

        @Override
        public long merge(long a, long b) {
            return agg.merge(a, b);
        }

        @Override
        public V result(long acc) {
            return agg.result(acc);
        }
    }

    /**
     * The merging step's aggregate: folds partials into a window's accumulator with the user's
     * {@code merge}. A sliding window's partial reaches several windows, so each merges a copy
     * ({@code merge} may keep or change what it is given); a tumbling window's partial reaches one,
     * which may take it as it is.
     */
    private static final class Merging<T, K, ACC, V> implements AggregateFunction<WindowPartial<K, ACC>, ACC, V> {
        private final AggregateFunction<T, ACC, V> agg;
        private final boolean partialsShared;

        Merging(AggregateFunction<T, ACC, V> agg, boolean partialsShared) {
            this.agg = agg;
            this.partialsShared = partialsShared;
        }

        @Override
        public ACC createAccumulator() {
            return agg.createAccumulator();
        }

        @SuppressWarnings("unchecked")
        @Override
        public ACC add(WindowPartial<K, ACC> partial, ACC acc) {
            return agg.merge(acc, partialsShared ? (ACC) StateCopier.copy(partial.acc()) : partial.acc());
        }

        @Override
        public V getResult(ACC acc) {
            return agg.getResult(acc);
        }

        @Override
        public ACC merge(ACC a, ACC b) {
            return agg.merge(a, b);
        }
    }
}
