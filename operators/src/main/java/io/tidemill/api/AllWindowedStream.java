package io.tidemill.api;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessAllWindowFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.window.SlidingWindows;
import io.tidemill.window.TumblingWindows;
import io.tidemill.window.WindowAssigner;
import io.tidemill.window.WindowPartial;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole (non-keyed) stream grouped into event-time tumbling or sliding windows; ends with
 * {@code aggregate}. Unlike a window after {@code keyBy}, every record of a window counts toward
 * one result, yet it runs in parallel: each subtask aggregates its own records per pane
 * (a slice of the windows: the window itself when tumbling, the greatest common divisor of size and
 * slide when sliding) and sends one partial per pane, which a second step merges with the
 * aggregate's {@code merge} and evaluates when the window fires. So the aggregate must implement
 * {@code merge}.
 *
 * <pre>{@code
 * bids.windowAll(TumblingWindows.eventTime(Duration.ofSeconds(10)))
 *     .aggregate(new MaxPrice(), new ToRow());
 * }</pre>
 *
 * <p>Lateness is judged by the merging step, as a window after {@code keyBy} judges it: with
 * {@link #allowedLateness} a late record updates its windows and they fire again; a record late for
 * all its windows goes to the {@link #sideOutputLateData} side output, or is counted as dropped.
 */
public final class AllWindowedStream<T> {
    private final DataStream<T> input;
    private final WindowAssigner assigner;
    private final List<String> problems = new ArrayList<>();
    private long allowedLateness;
    private OutputTag<T> lateTag;

    AllWindowedStream(DataStream<T> input, WindowAssigner assigner) {
        this.input = input;
        this.assigner = assigner;
        problems.addAll(assigner.validate());
        if (!assigner.isEventTime() || !(assigner instanceof TumblingWindows || assigner instanceof SlidingWindows)) {
            problems.add("windowAll supports event-time tumbling and sliding windows, not " + assigner);
        }
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

    /** Aggregates each window; emits the result when the window fires. */
    public <ACC, R> DataStream<R> aggregate(AggregateFunction<T, ACC, R> agg) {
        return build(agg, null);
    }

    /** Aggregates each window, then hands the result and the window's metadata to {@code fn}. */
    public <ACC, V, R> DataStream<R> aggregate(AggregateFunction<T, ACC, V> agg, ProcessAllWindowFunction<V, R> fn) {
        return build(agg, fn);
    }

    private <ACC, V, R> DataStream<R> build(AggregateFunction<T, ACC, V> agg, ProcessAllWindowFunction<V, R> fn) {
        return TwoPhaseWindows.build("windowAll(" + assigner + ").aggregate", input, null,
                (WindowPartial<Object, ACC> p) -> 0L, assigner, allowedLateness, lateTag, agg,
                fn == null ? null : () -> new Evaluate<>(RichFunction.forSubtask(fn)), problems);
    }

    /** Calls the user's all-window function from the merging step's keyed window. */
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
