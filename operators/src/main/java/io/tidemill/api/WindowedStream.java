package io.tidemill.api;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.function.ReduceFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.graph.WatermarkUse;
import io.tidemill.window.AlignedWindowOperator;
import io.tidemill.window.Evictor;
import io.tidemill.window.LateRecords;
import io.tidemill.window.SlidingWindows;
import io.tidemill.window.TumblingWindows;
import io.tidemill.window.WindowPartial;
import io.tidemill.window.Trigger;
import io.tidemill.window.WindowAssigner;
import io.tidemill.window.WindowOperator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A keyed stream grouped into windows; ends with {@code aggregate}, {@code reduce} or
 * {@code process}.
 *
 * <pre>{@code
 * OutputTag<Bid> late = new OutputTag<>("late");
 * DataStream<Long> counts = bids.keyBy(Bid::auction)
 *         .window(TumblingWindows.eventTime(Duration.ofSeconds(10)))
 *         .allowedLateness(Duration.ofSeconds(5))   // late records re-fire the window
 *         .sideOutputLateData(late)                  // records later than that go here
 *         .aggregate(Aggregates.count());
 * }</pre>
 */
public final class WindowedStream<K, T> {
    private final KeyedStream<K, T> keyed;
    private final WindowAssigner assigner;
    private final List<String> problems = new ArrayList<>();
    private Trigger trigger;
    private Evictor<? super T> evictor;
    private long allowedLateness;
    private OutputTag<T> lateTag;
    /** Set for the merging step of a two-phase window: late partials' records go to the user's tag. */
    private LateRecords<T> lateRecords;
    private boolean preAggregate;

    WindowedStream(KeyedStream<K, T> keyed, WindowAssigner assigner) {
        this.keyed = keyed;
        this.assigner = assigner;
        this.trigger = assigner.defaultTrigger();
        problems.addAll(assigner.validate());
    }

    /** Keeps windows this long after they fired; late records within it update the result. */
    public WindowedStream<K, T> allowedLateness(Duration lateness) {
        if (lateness.isNegative()) {
            problems.add("allowed lateness must not be negative, was " + lateness.toMillis() + " ms");
        }
        this.allowedLateness = lateness.toMillis();
        return this;
    }

    /** Sends records that are too late for all their windows to a side output instead of dropping them. */
    public WindowedStream<K, T> sideOutputLateData(OutputTag<T> tag) {
        this.lateTag = tag;
        return this;
    }

    /** Problems found by the stream that built this one (windowAll), reported with the window's. */
    WindowedStream<K, T> addProblems(List<String> more) {
        problems.addAll(more);
        return this;
    }

    /** The merging step of a two-phase window sends the records its late partials carry to {@code tag}. */
    WindowedStream<K, T> sideOutputLateRecordsOfPartials(OutputTag<?> tag) {
        this.lateRecords = LateRecords.ofPartials(tag);
        return this;
    }

    /**
     * Aggregates each subtask's records per key and pane before the keyed exchange, and merges the
     * partial accumulators after it (two-phase aggregation, as Jet does it and Flink SQL's
     * local-global aggregation): a key's records in a pane cross the network once per subtask
     * instead of once each. Worth it when keys repeat within a pane. Needs event-time tumbling or
     * sliding windows with the default trigger, an {@code aggregate} or {@code reduce} (not
     * {@code process}), and an aggregate whose {@code merge} works. Results, late records and
     * allowed lateness are the same as without it.
     */
    public WindowedStream<K, T> preAggregate() {
        this.preAggregate = true;
        return this;
    }

    /** Replaces the assigner's default trigger (see {@link Trigger}). */
    public WindowedStream<K, T> trigger(Trigger trigger) {
        this.trigger = trigger;
        return this;
    }

    /**
     * Removes records from each window when it fires, before or after the window function (see
     * {@link Evictor}); the window then keeps all its records, and the aggregate is applied at each
     * firing to those that remain.
     */
    public WindowedStream<K, T> evictor(Evictor<? super T> evictor) {
        this.evictor = evictor;
        return this;
    }

    /** Aggregates each window incrementally; emits the result when the window fires. */
    public <ACC, R> DataStream<R> aggregate(AggregateFunction<T, ACC, R> fn) {
        return build("aggregate", fn, null, false);
    }

    /** Aggregates incrementally, then hands the result and the window's metadata to {@code fn}. */
    public <ACC, V, R> DataStream<R> aggregate(AggregateFunction<T, ACC, V> agg, ProcessWindowFunction<V, R, K> fn) {
        return build("aggregate", agg, RichFunction.perSubtask(fn), false);
    }

    /** As {@link #aggregate(AggregateFunction, ProcessWindowFunction)}, each subtask's function from {@code fn}. */
    public <ACC, V, R> DataStream<R> aggregate(AggregateFunction<T, ACC, V> agg,
                                               Supplier<? extends ProcessWindowFunction<V, R, K>> fn) {
        return build("aggregate", agg, fn, false);
    }

    /**
     * Counts the records of each key in each window: one {@link WindowCount} per key and window
     * firing, with the key, the window's start and end and the count. The count is kept as a plain
     * {@code long} per key and window, as {@link Aggregates#count()} is.
     *
     * <pre>{@code
     * words.keyBy(w -> w).window(TumblingWindows.eventTime(Duration.ofSeconds(10))).count()
     *      .map(c -> c.key() + " " + c.count());
     * }</pre>
     */
    public DataStream<WindowCount<K>> count() {
        return aggregate(Aggregates.count(), new CountOfWindow<>());
    }

    /** Turns a window's count into a {@link WindowCount}; keeps no state, so subtasks may share it. */
    private static final class CountOfWindow<K> extends ProcessWindowFunction<Long, WindowCount<K>, K> {
        @Override
        public void process(K key, Context ctx, Iterable<Long> count, Collector<WindowCount<K>> out) {
            out.collect(new WindowCount<>(key, ctx.window().start(), ctx.window().end(), count.iterator().next()));
        }
    }

    public DataStream<T> reduce(ReduceFunction<T> fn) {
        return build("reduce", Aggregates.reducing(fn), null, false);
    }

    public <R> DataStream<R> reduce(ReduceFunction<T> reduce, ProcessWindowFunction<T, R, K> fn) {
        return build("reduce", Aggregates.reducing(reduce), RichFunction.perSubtask(fn), false);
    }

    /**
     * Keeps all records of a window and hands them to {@code fn} when it fires; each subtask runs its
     * own copy of {@code fn} (see {@link RichFunction}).
     */
    public <R> DataStream<R> process(ProcessWindowFunction<T, R, K> fn) {
        return process(RichFunction.perSubtask(fn));
    }

    /** As {@link #process(ProcessWindowFunction)}, each subtask's function from {@code fn}. */
    public <R> DataStream<R> process(Supplier<? extends ProcessWindowFunction<T, R, K>> fn) {
        @SuppressWarnings({"unchecked", "rawtypes"})
        Supplier<ProcessWindowFunction<List<T>, R, K>> f = (Supplier) fn;
        return build("process", Aggregates.toList(), f, true);
    }

    /** {@code fn}, null for none, gives each subtask its window function. */
    private <ACC, V, R> DataStream<R> build(String kind, AggregateFunction<T, ACC, V> agg,
                                            Supplier<? extends ProcessWindowFunction<V, R, K>> fn,
                                            boolean resultIsElements) {
        Trigger t = trigger;
        Evictor<? super T> ev = evictor;
        long lateness = allowedLateness;
        LateRecords<T> late = lateRecords != null ? lateRecords : LateRecords.to(lateTag);
        if (assigner.isMerging() && !t.canMerge()) {
            problems.add("trigger " + t + " cannot be used with merging windows " + assigner
                    + ": it does not merge its state (canMerge() is false)");
        }
        if (preAggregate) {
            return preAggregated(kind, agg, fn, resultIsElements);
        }
        DataStream<R> out = keyed.keyedOperator("window(" + assigner + ")." + kind, List.of(keyed.input.node),
                () -> ev == null && AlignedWindowOperator.applies(assigner, t, lateness)
                        ? new AlignedWindowOperator<K, T, ACC, V, R>(keyed.key, assigner, late, agg,
                                fn == null ? null : fn.get(), resultIsElements)
                        : new WindowOperator<K, T, ACC, V, R>(keyed.key, assigner, t, lateness, late, agg,
                                fn == null ? null : fn.get(), resultIsElements, ev));
        problems.forEach(out.node::addProblem);
        if (assigner.isEventTime()) {
            out.node.requireEventTime("window");
        }
        if (AlignedWindowOperator.applies(assigner, t, lateness)) {
            // Fires windows and judges records late only at window ends, which are pane ends.
            out.node.useWatermarks(WatermarkUse.panes(assigner.paneSize(), assigner.paneOffset()));
        }
        return out;
    }

    /** Local step per subtask (forward), keyed exchange of partials, merging window. */
    private <ACC, V, R> DataStream<R> preAggregated(String kind, AggregateFunction<T, ACC, V> agg,
                                                    Supplier<? extends ProcessWindowFunction<V, R, K>> fn,
                                                    boolean resultIsElements) {
        List<String> all = new ArrayList<>(problems);
        if (keyed.keyProblem != null) {
            all.add(keyed.keyProblem);
        }
        if (!AlignedWindowOperator.applies(assigner, trigger, 0)
                || !(assigner instanceof TumblingWindows || assigner instanceof SlidingWindows)) {
            all.add("preAggregate needs event-time tumbling or sliding windows with the default trigger");
        }
        if (resultIsElements) {
            all.add("preAggregate needs aggregate or reduce, not process");
        }
        if (evictor != null) {
            all.add("preAggregate cannot be combined with an evictor");
        }
        return TwoPhaseWindows.build("window(" + assigner + ")." + kind, keyed.input, keyed.key,
                WindowPartial<K, ACC>::key, assigner, allowedLateness, lateTag, agg, fn, all);
    }
}
