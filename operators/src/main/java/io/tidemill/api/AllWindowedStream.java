package io.tidemill.api;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.AllWindowFunction;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessAllWindowFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.function.ReduceFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.window.Evictor;
import io.tidemill.window.SlidingWindows;
import io.tidemill.window.Trigger;
import io.tidemill.window.TumblingWindows;
import io.tidemill.window.WindowAssigner;
import io.tidemill.window.WindowPartial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole (non-keyed) stream grouped into windows; ends with {@code aggregate}, {@code reduce},
 * {@code process} or {@code apply}. Every record of a window counts toward one result.
 *
 * <p>An {@code aggregate} or {@code reduce} over event-time tumbling or sliding windows with the
 * default trigger runs in parallel: each subtask aggregates its own records per pane (a slice of the
 * windows: the window itself when tumbling, the greatest common divisor of size and slide when
 * sliding) and sends one partial per pane, which a second step merges with the aggregate's
 * {@code merge} and evaluates when the window fires. So the aggregate must implement {@code merge}.
 * Everything else ({@code process} and {@code apply}, which see all records; other assigners;
 * a trigger or an evictor) runs as Flink runs every {@code windowAll}: all records in one subtask.
 *
 * <pre>{@code
 * bids.windowAll(TumblingWindows.eventTime(Duration.ofSeconds(10)))
 *     .aggregate(new MaxPrice(), new ToRow());
 * bids.windowAll(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(100)))
 *     .process(new Top10());
 * }</pre>
 *
 * <p>Lateness is judged as a window after {@code keyBy} judges it: with {@link #allowedLateness} a
 * late record updates its windows and they fire again; a record late for all its windows goes to
 * the {@link #sideOutputLateData} side output, or is counted as dropped.
 */
public final class AllWindowedStream<T> {
    private final DataStream<T> input;
    private final WindowAssigner assigner;
    private final List<String> problems = new ArrayList<>();
    private long allowedLateness;
    private OutputTag<T> lateTag;
    /** Null: the assigner's default. */
    private Trigger trigger;
    private Evictor<? super T> evictor;

    AllWindowedStream(DataStream<T> input, WindowAssigner assigner) {
        this.input = input;
        this.assigner = assigner;
        problems.addAll(assigner.validate());
    }

    /** Keeps windows this long after they fired; late records within it update the result. */
    public AllWindowedStream<T> allowedLateness(Duration lateness) {
        if (lateness.isNegative()) {
            problems.add("allowed lateness must not be negative, was " + lateness.toMillis() + " ms");
        }
        this.allowedLateness = lateness.toMillis();
        return this;
    }

    /** Sends records that are too late for all their windows to a side output instead of dropping them. */
    public AllWindowedStream<T> sideOutputLateData(OutputTag<T> tag) {
        this.lateTag = tag;
        return this;
    }

    /** Replaces the assigner's default trigger; the windows then run in one subtask. */
    public AllWindowedStream<T> trigger(Trigger trigger) {
        this.trigger = trigger;
        return this;
    }

    /** Removes records from each window when it fires (see {@link Evictor}); runs in one subtask. */
    public AllWindowedStream<T> evictor(Evictor<? super T> evictor) {
        this.evictor = evictor;
        return this;
    }

    /** Aggregates each window; emits the result when the window fires. */
    public <ACC, R> DataStream<R> aggregate(AggregateFunction<T, ACC, R> agg) {
        return build("aggregate", agg, null);
    }

    /** Aggregates each window, then hands the result and the window's metadata to {@code fn}. */
    public <ACC, V, R> DataStream<R> aggregate(AggregateFunction<T, ACC, V> agg, ProcessAllWindowFunction<V, R> fn) {
        return build("aggregate", agg, fn);
    }

    /** Reduces each window's records to one; emits it when the window fires. */
    public DataStream<T> reduce(ReduceFunction<T> fn) {
        return build("reduce", Aggregates.reducing(fn), null);
    }

    /** Reduces each window's records to one, then hands it and the window's metadata to {@code fn}. */
    public <R> DataStream<R> reduce(ReduceFunction<T> reduce, ProcessAllWindowFunction<T, R> fn) {
        return build("reduce", Aggregates.reducing(reduce), fn);
    }

    /** Hands all records of each window, with its metadata, to {@code fn} when it fires. */
    public <R> DataStream<R> process(ProcessAllWindowFunction<T, R> fn) {
        return inOneSubtask("process").process(() -> new Evaluate<>(RichFunction.forSubtask(fn)))
                .name("windowAll(" + assigner + ").process");
    }

    /** Hands all records of each window to {@code fn} when it fires. */
    public <R> DataStream<R> apply(AllWindowFunction<T, R> fn) {
        return inOneSubtask("apply").process(new ProcessWindowFunction<T, R, Long>() {
            @Override
            public void process(Long key, Context ctx, Iterable<T> elements, Collector<R> out) throws Exception {
                fn.apply(ctx.window(), elements, out);
            }
        }).name("windowAll(" + assigner + ").apply");
    }

    /** True when the windows can be aggregated in parallel (see the class comment). */
    private boolean inParallel() {
        return assigner.isEventTime() && (assigner instanceof TumblingWindows || assigner instanceof SlidingWindows)
                && (trigger == null || trigger == Trigger.eventTime()) && evictor == null;
    }

    private <ACC, V, R> DataStream<R> build(String kind, AggregateFunction<T, ACC, V> agg,
                                            ProcessAllWindowFunction<V, R> fn) {
        if (!inParallel()) {
            WindowedStream<Long, T> w = inOneSubtask(kind);
            @SuppressWarnings("unchecked")
            DataStream<R> out = fn == null ? (DataStream<R>) w.aggregate(agg)
                    : w.aggregate(agg, () -> new Evaluate<>(RichFunction.forSubtask(fn)));
            return out.name("windowAll(" + assigner + ")." + kind);
        }
        return TwoPhaseWindows.build("windowAll(" + assigner + ")." + kind, input, null,
                (WindowPartial<Object, ACC> p) -> 0L, assigner, allowedLateness, lateTag, agg,
                fn == null ? null : () -> new Evaluate<>(RichFunction.forSubtask(fn)), problems);
    }

    /** Every record under one key: the window runs in the subtask owning it, as Flink's windowAll at parallelism 1. */
    private WindowedStream<Long, T> inOneSubtask(String kind) {
        WindowedStream<Long, T> w = input.keyBy((T record) -> 0L).window(assigner);
        if (trigger != null) {
            w.trigger(trigger);
        }
        if (evictor != null) {
            w.evictor(evictor);
        }
        if (allowedLateness > 0) {
            w.allowedLateness(Duration.ofMillis(allowedLateness));
        }
        if (lateTag != null) {
            w.sideOutputLateData(lateTag);
        }
        w.addProblems(problems);
        return w;
    }

    /** Calls the user's all-window function from a keyed window. */
    private static final class Evaluate<V, R> extends ProcessWindowFunction<V, R, Long> {
        private final ProcessAllWindowFunction<V, R> fn;

        Evaluate(ProcessAllWindowFunction<V, R> fn) {
            this.fn = fn;
        }

        @Override
        public void open(RuntimeContext ctx) throws Exception {
            fn.open(ctx);
        }

        @Override
        public void close() throws Exception {
            fn.close();
        }

        @Override
        public void process(Long key, Context ctx, Iterable<V> elements, Collector<R> out) throws Exception {
            fn.process(ctx, elements, out);
        }
    }
}
