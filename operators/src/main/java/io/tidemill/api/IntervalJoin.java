package io.tidemill.api;

import io.tidemill.api.function.ProcessJoinFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.operator.IntervalJoinFunction;
import io.tidemill.operator.Tagged;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Joins two keyed streams: a left record at {@code t} with every right record of the same key whose
 * timestamp lies in {@code [t + lower, t + upper]} (either bound exclusive on request).
 *
 * <pre>{@code
 * OutputTag<Bid> lateBids = new OutputTag<>("late-bids");
 * DataStream<String> joined = bids.keyBy(Bid::auction).intervalJoin(auctions.keyBy(Auction::id))
 *     .between(Duration.ofSeconds(-10), Duration.ZERO).upperBoundExclusive()
 *     .sideOutputLeftLateData(lateBids)
 *     .process(new ProcessJoinFunction<>() { ... });
 * DataStream<Bid> late = joined.getSideOutput(lateBids);
 * }</pre>
 *
 * <p>As in Flink, a record whose timestamp is below the current watermark is late: it joins nothing
 * and goes to its side's late side output if one is set, else it is dropped.
 */
public final class IntervalJoin<K, A, B> {
    private final KeyedStream<K, A> left;
    private final KeyedStream<K, B> right;
    private long lower;
    private long upper;
    private boolean lowerExclusive;
    private boolean upperExclusive;
    private OutputTag<A> leftLate;
    private OutputTag<B> rightLate;
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

    /** Excludes the lower bound: right records at exactly {@code t + lower} do not join. */
    public IntervalJoin<K, A, B> lowerBoundExclusive() {
        this.lowerExclusive = true;
        return this;
    }

    /** Excludes the upper bound: right records at exactly {@code t + upper} do not join. */
    public IntervalJoin<K, A, B> upperBoundExclusive() {
        this.upperExclusive = true;
        return this;
    }

    /** Sends left records that arrive behind the watermark to {@code tag} instead of dropping them. */
    public IntervalJoin<K, A, B> sideOutputLeftLateData(OutputTag<A> tag) {
        this.leftLate = java.util.Objects.requireNonNull(tag, "tag");
        return this;
    }

    /** Sends right records that arrive behind the watermark to {@code tag} instead of dropping them. */
    public IntervalJoin<K, A, B> sideOutputRightLateData(OutputTag<B> tag) {
        this.rightLate = java.util.Objects.requireNonNull(tag, "tag");
        return this;
    }

    /** Emits the joined pairs through {@code fn}; each subtask runs its own copy of it. */
    public <R> DataStream<R> process(ProcessJoinFunction<A, B, R> fn) {
        return process(RichFunction.perSubtask(fn));
    }

    /** Emits the joined pairs through the function {@code function} gives each subtask. */
    public <R> DataStream<R> process(Supplier<? extends ProcessJoinFunction<A, B, R>> function) {
        // As Flink, the bounds are checked as given, then moved inwards by one millisecond if exclusive.
        long lo = lowerExclusive ? lower + 1 : lower;
        long hi = upperExclusive ? upper - 1 : upper;
        OutputTag<A> leftLate = this.leftLate;
        OutputTag<B> rightLate = this.rightLate;
        DataStream<R> out = TwoInputs.tag(left.input, right.input, "interval-join")
                .keyBy(TwoInputs.key(left.key, right.key))
                .process(() -> new IntervalJoinFunction<K, A, B, R>(lo, hi, leftLate, rightLate, function.get()))
                .name("interval-join");
        out.node().requireEventTime("interval join");
        if (problem != null) {
            out.node().addProblem(problem);
        }
        return out;
    }
}
