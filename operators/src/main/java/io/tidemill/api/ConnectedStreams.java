package io.tidemill.api;

import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.KeyedCoProcessFunction;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.operator.Tagged;
import java.util.function.Supplier;

/**
 * Two streams processed together by one keyed function with shared state, e.g. an unwindowed join.
 *
 * <pre>{@code
 * auctions.connect(persons).keyBy(Auction::seller, Person::id).process(new SellerJoin());
 * }</pre>
 */
public final class ConnectedStreams<A, B> {
    private final DataStream<A> left;
    private final DataStream<B> right;

    ConnectedStreams(DataStream<A> left, DataStream<B> right) {
        this.left = left;
        this.right = right;
    }

    public <K> Keyed<K> keyBy(KeySelector<A, K> leftKey, KeySelector<B, K> rightKey) {
        return new Keyed<>(leftKey, rightKey);
    }

    /** The connected streams, keyed. */
    public final class Keyed<K> {
        private final KeySelector<A, K> leftKey;
        private final KeySelector<B, K> rightKey;

        Keyed(KeySelector<A, K> leftKey, KeySelector<B, K> rightKey) {
            this.leftKey = leftKey;
            this.rightKey = rightKey;
        }

        /** Processes both sides with one function; each subtask runs its own copy of {@code fn}. */
        public <R> DataStream<R> process(KeyedCoProcessFunction<K, A, B, R> fn) {
            return process(RichFunction.perSubtask(fn));
        }

        /** Processes both sides with one function; {@code function} gives each subtask its instance. */
        public <R> DataStream<R> process(Supplier<? extends KeyedCoProcessFunction<K, A, B, R>> function) {
            return TwoInputs.tag(left, right, "connect").keyBy(TwoInputs.key(leftKey, rightKey))
                    .process(() -> new CoProcess<K, A, B, R>(function.get())).name("co-process");
        }
    }

    /** Calls a co-process function for the tagged union of both sides. */
    private static final class CoProcess<K, A, B, R> extends KeyedProcessFunction<K, Tagged, R> {
        private final KeyedCoProcessFunction<K, A, B, R> fn;

        CoProcess(KeyedCoProcessFunction<K, A, B, R> fn) {
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

        @SuppressWarnings("unchecked")
        @Override
        public void processElement(Tagged value, Context<K> ctx, Collector<R> out) throws Exception {
            if (value.side() == Tagged.LEFT) {
                fn.processElement1((A) value.value(), ctx, out);
            } else {
                fn.processElement2((B) value.value(), ctx, out);
            }
        }

        @Override
        public void onTimer(long time, OnTimerContext<K> ctx, Collector<R> out) throws Exception {
            fn.onTimer(time, ctx, out);
        }
    }
}
