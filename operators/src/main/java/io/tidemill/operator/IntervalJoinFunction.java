package io.tidemill.operator;

import io.tidemill.api.OutputTag;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ProcessJoinFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.state.MapState;
import io.tidemill.state.StateDescriptor;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Interval join over a tagged union: a left record at {@code t} joins right records in
 * {@code [t + lower, t + upper]}. Both sides are buffered by timestamp; a buffered record is dropped
 * once the watermark guarantees no future partner (left at {@code t}: watermark {@code >= t + upper};
 * right at {@code t}: watermark {@code >= t - lower}). Records behind the watermark are late, as in
 * Flink: they go to their side's late tag, or are dropped without one. Exclusive bounds arrive here
 * as inclusive ones, moved inwards.
 */
public final class IntervalJoinFunction<K, A, B, OUT> extends KeyedProcessFunction<K, Tagged, OUT> {
    private final long lower;
    private final long upper;
    private final OutputTag<A> leftLate;
    private final OutputTag<B> rightLate;
    private ProcessJoinFunction<A, B, OUT> fn;
    private Pair pair;
    private MapState<Long, List<Object>> left;
    private MapState<Long, List<Object>> right;

    /** {@code leftLate}, {@code rightLate}: where late records of each side go, or null to drop them. */
    public IntervalJoinFunction(long lower, long upper, OutputTag<A> leftLate, OutputTag<B> rightLate,
                                ProcessJoinFunction<A, B, OUT> fn) {
        this.lower = lower;
        this.upper = upper;
        this.leftLate = leftLate;
        this.rightLate = rightLate;
        this.fn = fn;
    }

    @Override
    public void open(RuntimeContext ctx) throws Exception {
        pair = new Pair();
        left = ctx.state(StateDescriptor.map("interval-join-left"));
        right = ctx.state(StateDescriptor.map("interval-join-right"));
        fn.open(ctx);
    }

    @Override
    public void close() throws Exception {
        fn.close();
    }

    @SuppressWarnings("unchecked")
    @Override
    protected IntervalJoinFunction<K, A, B, OUT> copy() {
        IntervalJoinFunction<K, A, B, OUT> c = (IntervalJoinFunction<K, A, B, OUT>) super.copy();
        c.fn = forSubtask(fn);
        return c;
    }

    @SuppressWarnings("unchecked")
    @Override
    public void processElement(Tagged value, Context<K> ctx, Collector<OUT> out) throws Exception {
        long ts = ctx.timestamp();
        boolean isLeft = value.side() == Tagged.LEFT;
        if (ts < ctx.timerService().currentWatermark()) {
            if (isLeft && leftLate != null) {
                ctx.output(leftLate, (A) value.value());
            } else if (!isLeft && rightLate != null) {
                ctx.output(rightLate, (B) value.value());
            }
            return;
        }
        pair.out = (TimestampedCollector<OUT>) out;
        MapState<Long, List<Object>> own = isLeft ? left : right;
        List<Object> bucket = own.get(ts);
        if (bucket == null) {
            bucket = new ArrayList<>();
            own.put(ts, bucket);
        }
        bucket.add(value.value());
        long from = isLeft ? ts + lower : ts - upper;
        long to = isLeft ? ts + upper : ts - lower;
        for (Map.Entry<Long, List<Object>> e : (isLeft ? right : left).entries().entrySet()) {
            long other = e.getKey();
            if (other < from || other > to) {
                continue;
            }
            for (Object o : e.getValue()) {
                pair.leftTs = isLeft ? ts : other;
                pair.rightTs = isLeft ? other : ts;
                A a = (A) (isLeft ? value.value() : o);
                B b = (B) (isLeft ? o : value.value());
                fn.processElement(a, b, pair, v -> ((TimestampedCollector<OUT>) out).collect(v,
                        Math.max(pair.leftTs, pair.rightTs)));
            }
        }
        ctx.timerService().registerEventTimeTimer(isLeft ? ts + Math.max(upper, 0) : ts - Math.min(lower, 0));
    }

    @Override
    public void onTimer(long time, OnTimerContext<K> ctx, Collector<OUT> out) {
        expire(left, time, upper);
        expire(right, time, -lower);
    }

    private static void expire(MapState<Long, List<Object>> buffer, long watermark, long reach) {
        List<Long> done = new ArrayList<>();
        for (Iterator<Long> it = buffer.entries().keySet().iterator(); it.hasNext(); ) {
            long t = it.next();
            if (t + Math.max(reach, 0) <= watermark) {
                done.add(t);
            }
        }
        done.forEach(buffer::remove);
    }

    private static final class Pair implements ProcessJoinFunction.Context {
        long leftTs;
        long rightTs;
        TimestampedCollector<?> out;

        @Override
        public <X> void output(OutputTag<X> tag, X value) {
            out.output(tag, value, timestamp());
        }

        @Override
        public long leftTimestamp() {
            return leftTs;
        }

        @Override
        public long rightTimestamp() {
            return rightTs;
        }
    }
}
