package io.tidemill.api;

import io.tidemill.api.function.ProcessJoinFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.operator.IntervalJoinFunction;
import io.tidemill.operator.Tagged;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Joins two keyed streams: a left record at {@code t} with every right record of the same key whose
 * timestamp lies in {@code [t + lower, t + upper]}.
 *
 * <pre>{@code
 * bids.keyBy(Bid::auction).intervalJoin(auctions.keyBy(Auction::id))
 *     .between(Duration.ofSeconds(-10), Duration.ZERO)
 *     .process(new ProcessJoinFunction<>() { ... });
 * }</pre>
 */
public final class IntervalJoin<K, A, B> {
    private final KeyedStream<K, A> left;
    private final KeyedStream<K, B> right;
    private long lower;
    private long upper;
    private String problem;

    IntervalJoin(KeyedStream<K, A> left, KeyedStream<K, B> right) {
        this.left = left;
        this.right = right;
    }

    public IntervalJoin<K, A, B> between(Duration lowerBound, Duration upperBound) {
        this.lower = lowerBound.toMillis();
        this.upper = upperBound.toMillis();
        if (lower > upper) {
            problem = "interval join lower bound (" + lower + " ms) must not exceed upper bound (" + upper + " ms)";
        }
        return this;
    }

    /** Emits the joined pairs through {@code fn}; each subtask runs its own copy of it. */
    public <R> DataStream<R> process(ProcessJoinFunction<A, B, R> fn) {
        return process(RichFunction.perSubtask(fn));
    }

    /** Emits the joined pairs through the function {@code function} gives each subtask. */
    public <R> DataStream<R> process(Supplier<? extends ProcessJoinFunction<A, B, R>> function) {
        DataStream<R> out = TwoInputs.tag(left.input, right.input, "interval-join")
                .keyBy(TwoInputs.key(left.key, right.key))
                .process(() -> new IntervalJoinFunction<K, A, B, R>(lower, upper, function.get()))
                .name("interval-join");
        out.node().requireEventTime("interval join");
        if (problem != null) {
            out.node().addProblem(problem);
        }
        return out;
    }
}
