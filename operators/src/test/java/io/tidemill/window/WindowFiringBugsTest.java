package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.WindowedStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.testing.OperatorHarness;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two firing bugs of the general window operator (issue 14), each a story that lost or invented
 * output before the fix: a count trigger on merging sessions, and a FIRE of a purged window.
 */
@Timeout(30)
class WindowFiringBugsTest {
    private static final Duration TEN = Duration.ofMillis(10);

    /** Counts per key (value % 100) and window, as "key@[start,end)=count". */
    private static DataStream<String> counts(WindowAssigner assigner,
                                             Function<WindowedStream<Long, Long>, WindowedStream<Long, Long>> config) {
        Pipeline p = Pipeline.create();
        WindowedStream<Long, Long> w = p.fromCollection(List.of(0L), WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((v, ts) -> v))
                .keyBy(v -> v % 100).window(assigner);
        return config.apply(w).aggregate(Aggregates.count(), new ProcessWindowFunction<Long, String, Long>() {
            @Override
            public void process(Long key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                out.collect(key + "@[" + ctx.window().start() + "," + ctx.window().end() + ")="
                        + counts.iterator().next());
            }
        });
    }

    @Test
    void aCountTriggerFiresASessionWhoseMergedCountJumpsPastItsCount() throws Exception {
        // Flink's CountTrigger fires when its count is at least maxCount, then clears the count; counts
        // of merging windows add up. Two sessions of 3 records merge with a 7th record: 7 >= 4 fires.
        // (The old trigger fired on count % 4 == 0 and never fired this session, not even at the end.)
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(SessionWindows.eventTime(TEN),
                w -> w.trigger(Trigger.count(4))), 0, 1)) {
            h.processElement(7L, 0);
            h.processElement(7L, 1);
            h.processElement(7L, 2);    // session [0,12), 3 records
            h.processElement(7L, 20);
            h.processElement(7L, 21);
            h.processElement(7L, 22);   // session [20,32), 3 records
            h.processElement(7L, 11);   // [11,21) touches both: one session [0,32) of 7

            h.processWatermark(Long.MAX_VALUE);
            h.endInput();

            assertEquals(List.of("7@[0,32)=7"), h.values());
        }
    }

    /** Registers a timer at the window's end and fires and purges on every event-time timer. */
    private static final Trigger FIRE_AND_PURGE_ON_EVERY_TIMER = new Trigger() {
        @Override
        public Result onElement(long timestamp, TimeWindow window, Context ctx) {
            ctx.registerEventTimeTimer(window.maxTimestamp());
            return Result.CONTINUE;
        }

        @Override
        public Result onEventTime(long time, TimeWindow window, Context ctx) {
            return Result.FIRE_AND_PURGE;
        }

        @Override
        public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
            return Result.CONTINUE;
        }
    };

    @Test
    void aWindowPurgedByItsFiringDoesNotFireEmptyAtItsCleanupTimer() throws Exception {
        // Flink's WindowOperator emits on FIRE only when the window's contents are not empty. The
        // cleanup timer (at 9 + 5 = 14) reaches the trigger, which says FIRE: the purged window stays
        // silent. (Before, it emitted "1@[0,10)=0", and a reduce emitted null.)
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(TumblingWindows.eventTime(TEN),
                w -> w.trigger(FIRE_AND_PURGE_ON_EVERY_TIMER).allowedLateness(Duration.ofMillis(5))), 0, 1)) {
            h.processElement(1L, 3);
            h.processWatermark(9);      // fires and purges
            h.processWatermark(14);     // the cleanup timer: FIRE of an empty window

            assertEquals(List.of("1@[0,10)=1"), h.values());
        }
    }
}
