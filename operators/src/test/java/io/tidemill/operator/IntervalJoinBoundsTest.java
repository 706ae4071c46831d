package io.tidemill.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.DataStream;
import io.tidemill.api.IntervalJoin;
import io.tidemill.api.OutputTag;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessJoinFunction;
import io.tidemill.testing.OperatorHarness;
import io.tidemill.testing.OperatorHarness.Emitted;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The interval join's bounds, inclusive or exclusive, and its late records, as Flink's
 * {@code IntervalJoinOperator} has them: {@code between(lower, upper)} is inclusive at both ends;
 * {@code lowerBoundExclusive()} / {@code upperBoundExclusive()} leave out the pairs exactly at a bound;
 * a record whose timestamp is below the current watermark is late, joins nothing and goes to
 * {@code sideOutputLeftLateData} / {@code sideOutputRightLateData} when set.
 */
@Timeout(30)
class IntervalJoinBoundsTest {
    private static final WatermarkStrategy<Long> TS =
            WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((v, t) -> v);
    private static final OutputTag<Long> LATE_LEFT = new OutputTag<>("late-left");
    private static final OutputTag<Long> LATE_RIGHT = new OutputTag<>("late-right");
    private static final OutputTag<String> PAIRS = new OutputTag<>("pairs");

    /** A join between(-2, 2) of one key, its bounds set by {@code bounds}; pairs as "left-right". */
    private static DataStream<String> join(UnaryOperator<IntervalJoin<Long, Long, Long>> bounds) {
        Pipeline p = Pipeline.create();
        IntervalJoin<Long, Long, Long> join = p.fromCollection(List.of(0L), TS).keyBy(v -> 0L)
                .intervalJoin(p.fromCollection(List.of(0L), TS).keyBy(v -> 0L))
                .between(Duration.ofMillis(-2), Duration.ofMillis(2));
        return bounds.apply(join).process(new ProcessJoinFunction<Long, Long, String>() {
            @Override
            public void processElement(Long left, Long right, Context ctx, Collector<String> out) {
                out.collect(left + "-" + right);
                ctx.output(PAIRS, left + "-" + right + "@" + ctx.timestamp());
            }
        });
    }

    static Stream<Arguments> bounds() {
        UnaryOperator<IntervalJoin<Long, Long, Long>> inclusive = j -> j;
        UnaryOperator<IntervalJoin<Long, Long, Long>> lowerExclusive = IntervalJoin::lowerBoundExclusive;
        UnaryOperator<IntervalJoin<Long, Long, Long>> upperExclusive = IntervalJoin::upperBoundExclusive;
        UnaryOperator<IntervalJoin<Long, Long, Long>> bothExclusive =
                j -> j.lowerBoundExclusive().upperBoundExclusive();
        return Stream.of(
                Arguments.of("inclusive", inclusive, List.of("10-8", "10-9", "10-10", "10-11", "10-12")),
                Arguments.of("lower exclusive", lowerExclusive, List.of("10-9", "10-10", "10-11", "10-12")),
                Arguments.of("upper exclusive", upperExclusive, List.of("10-8", "10-9", "10-10", "10-11")),
                Arguments.of("both exclusive", bothExclusive, List.of("10-9", "10-10", "10-11")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("bounds")
    void aBoundMarkedExclusiveLeavesOutThePairsExactlyAtIt(String name,
                                                           UnaryOperator<IntervalJoin<Long, Long, Long>> bounds,
                                                           List<String> expected) throws Exception {
        try (OperatorHarness<Tagged, String> h = OperatorHarness.of(join(bounds), 0, 1)) {
            // given a left record at 10 and right records at 7..13, arriving before it and after it
            for (long r = 7; r <= 9; r++) {
                h.processElement(new Tagged(Tagged.RIGHT, r), r);
            }
            h.processElement(new Tagged(Tagged.LEFT, 10L), 10);
            for (long r = 10; r <= 13; r++) {
                h.processElement(new Tagged(Tagged.RIGHT, r), r);
            }

            // then
            List<String> got = new java.util.ArrayList<>(h.values());
            got.sort(java.util.Comparator.comparingLong(s -> Long.parseLong(s.substring(s.indexOf('-') + 1))));
            assertEquals(expected, got);
        }
    }

    @Test
    void lateRecordsOfEachSideGoToTheirSideOutputAndJoinNothing() throws Exception {
        DataStream<String> joined = join(j -> j.sideOutputLeftLateData(LATE_LEFT).sideOutputRightLateData(LATE_RIGHT));
        try (OperatorHarness<Tagged, String> h = OperatorHarness.of(joined, 0, 1)) {
            // given buffered records at 20 on both sides, then the watermark at 20
            h.processElement(new Tagged(Tagged.LEFT, 20L), 20);
            h.processElement(new Tagged(Tagged.RIGHT, 20L), 20);
            h.processWatermark(20);
            h.clearOutput();

            // when records arrive below the watermark (19, in reach of the buffered 20s) and at it
            h.processElement(new Tagged(Tagged.LEFT, 19L), 19);
            h.processElement(new Tagged(Tagged.RIGHT, 18L), 18);
            h.processElement(new Tagged(Tagged.RIGHT, 20L), 20); // at the watermark: not late

            // then the late ones go to their side's output with their timestamps, and join nothing
            assertEquals(List.of(new Emitted.Record<>(19L, 19)), h.sideOutput(LATE_LEFT));
            assertEquals(List.of(new Emitted.Record<>(18L, 18)), h.sideOutput(LATE_RIGHT));
            assertEquals(List.of("20-20"), h.values());
        }
    }

    @Test
    void withoutALateSideOutputLateRecordsAreDropped() throws Exception {
        try (OperatorHarness<Tagged, String> h = OperatorHarness.of(join(j -> j), 0, 1)) {
            h.processElement(new Tagged(Tagged.LEFT, 20L), 20);
            h.processWatermark(20);

            h.processElement(new Tagged(Tagged.RIGHT, 19L), 19);

            assertEquals(List.of(), h.values());
            assertEquals(List.of(), h.sideOutput(LATE_RIGHT));
        }
    }

    @Test
    void theJoinFunctionsSideOutputIsStampedWithThePairsLaterTimestamp() throws Exception {
        try (OperatorHarness<Tagged, String> h = OperatorHarness.of(join(j -> j), 0, 1)) {
            h.processElement(new Tagged(Tagged.LEFT, 10L), 10);
            h.processElement(new Tagged(Tagged.RIGHT, 8L), 8);
            h.processElement(new Tagged(Tagged.RIGHT, 12L), 12);

            assertEquals(List.of(new Emitted.Record<>("10-8@10", 10), new Emitted.Record<>("10-12@12", 12)),
                    h.sideOutput(PAIRS));
        }
    }
}
