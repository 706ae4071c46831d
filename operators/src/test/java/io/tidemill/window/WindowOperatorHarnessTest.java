package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.OutputTag;
import io.tidemill.api.Pipeline;
import io.tidemill.api.WindowedStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.testing.OperatorHarness;
import io.tidemill.testing.OperatorHarness.Emitted;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both window operators driven one call at a time through {@link OperatorHarness}: what fires when,
 * with which timestamps, in which order against the watermark; pausing on a full output; snapshots
 * restored into fresh instances, at another parallelism too; session merging, lateness re-firing
 * and cleanup on the general operator.
 */
class WindowOperatorHarnessTest {
    private static final Duration TEN = Duration.ofMillis(10);

    /** The default event-time trigger through another instance: runs on the general operator. */
    private static final Trigger GENERAL = new Trigger() {
        @Override
        public Result onElement(long timestamp, TimeWindow window, Context ctx) {
            return Trigger.eventTime().onElement(timestamp, window, ctx);
        }

        @Override
        public Result onEventTime(long time, TimeWindow window, Context ctx) {
            return Trigger.eventTime().onEventTime(time, window, ctx);
        }

        @Override
        public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
            return Trigger.eventTime().onProcessingTime(time, window, ctx);
        }
    };

    static Stream<Named<Function<WindowedStream<Long, Long>, WindowedStream<Long, Long>>>> operators() {
        return Stream.of(Named.of("aligned operator", w -> w), Named.of("general operator", w -> w.trigger(GENERAL)));
    }

    /** Counts per key and tumbling 10 ms window, as "key@[start,end)=count". */
    private static DataStream<String> counts(Function<WindowedStream<Long, Long>, WindowedStream<Long, Long>> op,
                                             WindowAssigner assigner, Duration lateness, OutputTag<Long> late) {
        Pipeline p = Pipeline.create();
        WindowedStream<Long, Long> w = p.fromCollection(List.of(0L), WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((v, ts) -> v))
                .keyBy(v -> v % 100).window(assigner);
        w = op.apply(w).allowedLateness(lateness);
        if (late != null) {
            w.sideOutputLateData(late);
        }
        return w.aggregate(Aggregates.count(), new ProcessWindowFunction<Long, String, Long>() {
            @Override
            public void process(Long key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                out.collect(key + "@[" + ctx.window().start() + "," + ctx.window().end() + ")="
                        + counts.iterator().next());
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void aWindowFiresAtItsLastTimestampBeforeTheWatermarkGoesOn(
            Function<WindowedStream<Long, Long>, WindowedStream<Long, Long>> op) throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(op, TumblingWindows.eventTime(TEN),
                Duration.ZERO, null), 0, 1)) {
            h.processElement(1L, 1);
            h.processElement(101L, 9);
            h.processElement(12L, 12);
            h.processWatermark(8);
            assertEquals(List.of(new Emitted.Watermark(8)), h.output());

            h.processWatermark(9);

            assertEquals(List.of(new Emitted.Watermark(8), new Emitted.Record<>("1@[0,10)=2", 9),
                    new Emitted.Watermark(9)), h.output());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void aFiringPausesWhileTheOutputIsFullAndTheWatermarkFollowsIt(
            Function<WindowedStream<Long, Long>, WindowedStream<Long, Long>> op) throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(op, TumblingWindows.eventTime(TEN),
                Duration.ZERO, null), 0, 1)) {
            for (long k = 0; k < 50; k++) {
                h.processElement(k, 5);
            }
            h.setOutputFull(true);

            h.processWatermark(20);

            assertTrue(h.hasPendingOutput());
            assertTrue(h.values().size() < 50, "stopped early: " + h.values().size());
            assertEquals(List.of(), h.watermarks());

            h.setOutputFull(false);
            h.resumeOutput();

            assertFalse(h.hasPendingOutput());
            assertEquals(50, h.values().size());
            assertEquals(50, h.values().stream().distinct().count());
            assertEquals(new Emitted.Watermark(20), h.output().get(h.output().size() - 1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("operators")
    void aSnapshotRestoresIntoFreshInstancesAtAnotherParallelism(
            Function<WindowedStream<Long, Long>, WindowedStream<Long, Long>> op) throws Exception {
        DataStream<String> stream = counts(op, TumblingWindows.eventTime(TEN), Duration.ZERO, null);
        OperatorHarness.Snapshot snapshot;
        try (OperatorHarness<Long, String> h = OperatorHarness.of(stream, 0, 1)) {
            for (long v = 0; v < 300; v++) {
                h.processElement(v, v % 20); // keys 0..99, windows [0,10) and [10,20)
            }
            h.processWatermark(9); // the first windows fire before the snapshot
            snapshot = h.snapshot(1);
        }

        List<String> after = new ArrayList<>();
        for (int subtask = 0; subtask < 3; subtask++) {
            try (OperatorHarness<Long, String> h = OperatorHarness.restored(stream, subtask, 3, List.of(snapshot))) {
                h.processWatermark(Long.MAX_VALUE);
                after.addAll(h.values());
            }
        }

        List<String> expected = new ArrayList<>();
        for (long k = 0; k < 100; k++) {
            long n = 0;
            for (long v = 0; v < 300; v++) {
                n += v % 100 == k && v % 20 >= 10 ? 1 : 0;
            }
            if (n > 0) {
                expected.add(k + "@[10,20)=" + n);
            }
        }
        after.sort(null);
        expected.sort(null);
        assertEquals(expected, after, "each window fires once, on the subtask owning its key");
    }

    @Test
    void processingTimeWindowsOpenAtTheEndOfInputFireThenPausingOnAFullOutput() throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(w -> w,
                TumblingWindows.processingTime(Duration.ofHours(1)), Duration.ZERO, null), 0, 1)) {
            for (long k = 0; k < 50; k++) {
                h.processElement(k, 0);
            }
            h.setOutputFull(true);

            h.endInput();

            assertTrue(h.hasPendingOutput());
            assertTrue(h.values().size() < 50, "stopped early: " + h.values().size());
            h.setOutputFull(false);
            h.resumeOutput();
            assertFalse(h.hasPendingOutput());
            assertEquals(50, h.values().stream().distinct().count());
        }
    }

    @Test
    void aPreAggregatingLocalStepPausesSendingItsPartialsOnAFullOutput() throws Exception {
        Pipeline p = Pipeline.create();
        DataStream<Long> merged = p.fromCollection(List.of(0L), WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((v, ts) -> v))
                .keyBy(v -> v).window(TumblingWindows.eventTime(TEN)).preAggregate().aggregate(Aggregates.count());
        try (OperatorHarness<Long, WindowPartial<Long, long[]>> local = OperatorHarness.ofInputOf(merged, 0, 1)) {
            for (long k = 0; k < 50; k++) {
                local.processElement(k, 5);
            }
            local.setOutputFull(true);

            local.processWatermark(20);

            assertTrue(local.hasPendingOutput());
            assertTrue(local.values().size() < 50, "stopped early: " + local.values().size());
            assertEquals(List.of(), local.watermarks());
            local.setOutputFull(false);
            local.resumeOutput();
            assertFalse(local.hasPendingOutput());
            assertEquals(50, local.values().stream().map(WindowPartial::key).distinct().count());
            assertEquals(new Emitted.Watermark(20), local.output().get(local.output().size() - 1));
        }
    }

    @Test
    void sessionsMergeAndFireAtTheMergedEnd() throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(w -> w, SessionWindows.eventTime(TEN),
                Duration.ZERO, null), 0, 1)) {
            h.processElement(7L, 1);
            h.processElement(7L, 20);
            h.processElement(7L, 10); // [10,20) overlaps [1,11) and touches [20,30): one session [1,30)
            h.processElement(8L, 40);

            h.processWatermark(Long.MAX_VALUE);

            assertEquals(List.of(new Emitted.Record<>("7@[1,30)=3", 29), new Emitted.Record<>("8@[40,50)=1", 49),
                    new Emitted.Watermark(Long.MAX_VALUE)), h.output());
        }
    }

    @Test
    void aLateRecordWithinTheLatenessFiresTheWindowAgainAndLaterOnesGoToTheSideOutput() throws Exception {
        OutputTag<Long> late = new OutputTag<>("late");
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(w -> w, TumblingWindows.eventTime(TEN),
                Duration.ofMillis(5), late), 0, 1)) {
            h.processElement(1L, 3);
            h.processWatermark(9);
            h.processElement(1L, 4);  // late, within the lateness (cleanup at 9 + 5 = 14)
            h.processWatermark(14);   // cleanup: the window is gone
            h.processElement(1L, 5);  // too late

            assertEquals(List.of("1@[0,10)=1", "1@[0,10)=2"), h.values());
            assertEquals(List.of(new Emitted.Record<>(1L, 5)), h.sideOutput(late));
        }
    }

    @Test
    void aCleanedUpWindowIsNotInTheSnapshot() throws Exception {
        DataStream<String> stream = counts(w -> w, TumblingWindows.eventTime(TEN), Duration.ofMillis(5), null);
        OperatorHarness.Snapshot snapshot;
        try (OperatorHarness<Long, String> h = OperatorHarness.of(stream, 0, 1)) {
            h.processElement(1L, 3);
            h.processElement(2L, 13);
            h.processWatermark(14); // [0,10) is cleaned up; [10,20) still open
            snapshot = h.snapshot(1);
        }

        try (OperatorHarness<Long, String> h = OperatorHarness.restored(stream, 0, 1, List.of(snapshot))) {
            h.processWatermark(Long.MAX_VALUE);
            assertEquals(List.of("2@[10,20)=1"), h.values());
        }
    }
}
