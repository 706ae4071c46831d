package io.tidemill.api;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessAllWindowFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.window.LocalWindowOperator;
import io.tidemill.window.SlidingWindows;
import io.tidemill.window.TumblingWindows;
import io.tidemill.window.WindowAssigner;
import io.tidemill.window.WindowPartial;
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
 * <p>Records late for all their windows are counted as dropped (there is no late side output).
 */
public final class AllWindowedStream<T> {
    private final DataStream<T> input;
    private final WindowAssigner assigner;
    private final List<String> problems = new ArrayList<>();

    AllWindowedStream(DataStream<T> input, WindowAssigner assigner) {
        this.input = input;
        this.assigner = assigner;
        problems.addAll(assigner.validate());
        if (!assigner.isEventTime() || !(assigner instanceof TumblingWindows || assigner instanceof SlidingWindows)) {
            problems.add("windowAll supports event-time tumbling and sliding windows, not " + assigner);
        }
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
        TumblingWindows panes = panesOf(assigner);
        DataStream<WindowPartial<Object, ACC>> partials = input.transform("windowAll(" + assigner + ").local",
                () -> new LocalWindowOperator<T, Object, ACC>(null, panes, agg));
        problems.forEach(partials.node::addProblem);
        WindowedStream<Long, WindowPartial<Object, ACC>> merged = partials.keyBy(p -> 0L).window(assigner);
        AggregateFunction<WindowPartial<Object, ACC>, ACC, V> merging = new PartialMerging<>(agg,
                assigner instanceof SlidingWindows);
        @SuppressWarnings("unchecked")
        DataStream<R> out = fn == null ? (DataStream<R>) merged.aggregate(merging)
                : merged.aggregate(merging, new Evaluate<>(fn));
        partials.node.deriveUidFrom(out.node, "local"); // a uid() on the result names both steps
        return out.name("windowAll(" + assigner + ").aggregate");
    }

    /** The tumbling windows whose panes tile every window of {@code assigner}. */
    static TumblingWindows panesOf(WindowAssigner assigner) {
        if (assigner instanceof SlidingWindows s && s.size() > 0 && s.slide() > 0) {
            long pane = gcd(s.size(), s.slide());
            return new TumblingWindows(pane, Math.floorMod(s.offset(), pane), true);
        }
        if (assigner instanceof TumblingWindows t && t.size() > 0) {
            return t;
        }
        return new TumblingWindows(1, 0, true); // an invalid assigner: the pipeline is rejected before it runs
    }

    private static long gcd(long a, long b) {
        return b == 0 ? a : gcd(b, a % b);
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
        public void process(Long key, Context ctx, Iterable<V> elements, Collector<R> out) throws Exception {
            fn.process(ctx, elements, out);
        }
    }
}
