package io.tidemill.window;

import static io.tidemill.window.WindowStories.counts;
import static io.tidemill.window.WindowStories.records;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.DataStream;
import io.tidemill.testing.OperatorHarness;
import io.tidemill.testing.OperatorHarness.Emitted;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Triggers with per-window state, composed, merged with sessions, cleared with their window, and
 * checkpointed; each story cites the Flink behaviour it pins.
 */
@Timeout(30)
class TriggersTest {
    private static final Duration TEN = Duration.ofMillis(10);

    @Test
    void aCountTriggerFiresAtEveryNthRecordAndKeepsTheContents() throws Exception {
        // Flink's CountTrigger: FIRE when count >= maxCount, then the count is cleared; the window's
        // contents stay (no purge), so the second firing sees 6 records.
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(GlobalWindows.create(),
                w -> w.trigger(CountTrigger.of(3))), 0, 1)) {
            for (long i = 0; i < 7; i++) {
                h.processElement(1 + 100 * i, i);
            }
            h.processWatermark(Long.MAX_VALUE);
            h.endInput();

            assertEquals(List.of("1@global=3", "1@global=6"), h.values());
        }
    }

    @Test
    void aPurgingCountTriggerEmitsEachRecordOnceAndNotTheRestAtTheEnd() throws Exception {
        // Flink's PurgingTrigger turns FIRE into FIRE_AND_PURGE; a global window never fires by time,
        // so the 7th record is not emitted (as countWindow(3) in Flink's streaming mode).
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(GlobalWindows.create(),
                w -> w.trigger(PurgingTrigger.of(CountTrigger.of(3)))), 0, 1)) {
            for (long i = 0; i < 7; i++) {
                h.processElement(1 + 100 * i, i);
            }
            h.processWatermark(Long.MAX_VALUE);
            h.endInput();

            assertEquals(List.of("1@global=3", "1@global=3"), h.values());
        }
    }

    @Test
    void aCountWindowOfSizeAndSlideSeesTheLastSizeRecordsEverySlideRecords() throws Exception {
        // Flink's countWindow(size, slide): GlobalWindows, CountEvictor.of(size), CountTrigger.of(slide).
        DataStream<String> stream = WindowStories.keyed().countWindow(3, 2).process(WindowStories.recordsFunction());
        try (OperatorHarness<Long, String> h = OperatorHarness.of(stream, 0, 1)) {
            for (long i = 0; i < 6; i++) {
                h.processElement(1 + 100 * i, i);
            }

            assertEquals(List.of("1@global=[1, 101]", "1@global=[101, 201, 301]", "1@global=[301, 401, 501]"),
                    h.values());
        }
    }

    @Test
    void aCountTriggersStateIsCheckpointedWithItsWindow() throws Exception {
        DataStream<String> stream = counts(SessionWindows.eventTime(TEN), w -> w.trigger(CountTrigger.of(3)));
        OperatorHarness.Snapshot snapshot;
        try (OperatorHarness<Long, String> h = OperatorHarness.of(stream, 0, 1)) {
            h.processElement(5L, 1);
            h.processElement(5L, 2);
            snapshot = h.snapshot(1);
        }

        try (OperatorHarness<Long, String> h = OperatorHarness.restored(stream, 0, 1, List.of(snapshot))) {
            h.processElement(5L, 3);

            assertEquals(List.of("5@[1,13)=3"), h.values(), "the restored count was 2");
        }
    }

    @Test
    void aContinuousEventTimeTriggerFiresEveryIntervalAndAtTheWindowsEnd() throws Exception {
        // Flink's ContinuousEventTimeTrigger: the first record schedules ts - ts % interval + interval,
        // each firing the next one, capped at the window's last timestamp (29 here).
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(TumblingWindows.eventTime(
                Duration.ofMillis(30)), w -> w.trigger(ContinuousEventTimeTrigger.of(TEN))), 0, 1)) {
            h.processElement(1L, 3);
            h.processWatermark(9);
            assertEquals(List.of(), h.values());

            h.processWatermark(10);
            h.processElement(1L, 15);
            h.processWatermark(20);
            h.processElement(1L, 25);
            h.processWatermark(29);

            assertEquals(List.of("1@[0,30)=1", "1@[0,30)=2", "1@[0,30)=3"), h.values());
        }
    }

    @Test
    void mergingSessionsKeepTheEarliestNextFiringOfAContinuousTrigger() throws Exception {
        // Flink's ContinuousEventTimeTrigger merges its fire timestamp with Min on merge.
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(SessionWindows.eventTime(TEN),
                w -> w.trigger(ContinuousEventTimeTrigger.of(Duration.ofMillis(5)))), 0, 1)) {
            h.processElement(7L, 2);    // [2,12), next firing at 5
            h.processElement(7L, 14);   // [14,24), next firing at 15
            h.processElement(7L, 10);   // [10,20) merges them into [2,24): next firing min(5, 15)

            h.processWatermark(5);

            assertEquals(List.of("7@[2,24)=3"), h.values());
        }
    }

    @Test
    void aContinuousProcessingTimeTriggerFiresAGlobalWindowByTheClock() throws Exception {
        // Flink's ContinuousProcessingTimeTrigger: fires at the end of each interval of the clock
        // from the first record on, with new records or without.
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(GlobalWindows.create(),
                w -> w.trigger(ContinuousProcessingTimeTrigger.of(TEN))), 0, 1)) {
            h.setProcessingTime(3);
            h.processElement(1L, 0);
            assertEquals(10, h.nextProcessingTime());

            h.setProcessingTime(10);
            h.processElement(101L, 0);
            h.setProcessingTime(20);
            h.setProcessingTime(30);

            assertEquals(List.of("1@global=1", "1@global=2", "1@global=2"), h.values());
        }
    }

    @Test
    void aContinuousProcessingTimeTriggerStopsAtTheWindowsEnd() throws Exception {
        // Flink's ContinuousProcessingTimeTrigger caps the next firing at the window's last timestamp;
        // the window is removed then, so it fires there once and no more.
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(TumblingWindows.processingTime(
                Duration.ofMillis(30)), w -> w.trigger(ContinuousProcessingTimeTrigger.of(TEN))), 0, 1)) {
            h.setProcessingTime(3);
            h.processElement(1L, 0);
            for (long now = 10; now <= 60; now += 10) {
                h.setProcessingTime(now == 30 ? 29 : now);
            }

            assertEquals(List.of(new Emitted.Record<>("1@[0,30)=1", 29), new Emitted.Record<>("1@[0,30)=1", 29),
                    new Emitted.Record<>("1@[0,30)=1", 29)), h.output());
            assertEquals(Long.MAX_VALUE, h.nextProcessingTime(), "the window is gone with its timers");
        }
    }

    @Test
    void earlyFiringsFireByTheClockBeforeTheWindowFiresOnTime() throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(TumblingWindows.eventTime(
                Duration.ofMillis(100)), w -> w.trigger(Trigger.withEarlyFirings(TEN))), 0, 1)) {
            h.processElement(1L, 5);       // processing time 0: early firing at 10
            h.setProcessingTime(10);
            h.processElement(1L, 6);
            h.setProcessingTime(20);
            h.processWatermark(99);

            assertEquals(List.of(new Emitted.Record<>("1@[0,100)=1", 99), new Emitted.Record<>("1@[0,100)=2", 99),
                    new Emitted.Record<>("1@[0,100)=2", 99)), h.output().subList(0, 3));
        }
    }

    @Test
    void clearSeesTheWindowsStateWhenTheWindowIsCleanedUp() throws Exception {
        // Flink calls Trigger.clear when the window is removed at its cleanup time (end + lateness).
        Trigger.State<Long> seen = Trigger.State.sum("seen");
        List<String> cleared = new ArrayList<>();
        Trigger counting = new Trigger() {
            @Override
            public Result onElement(long timestamp, TimeWindow window, Context ctx) {
                Long n = ctx.state(seen);
                ctx.setState(seen, n == null ? 1 : n + 1);
                return Trigger.eventTime().onElement(timestamp, window, ctx);
            }

            @Override
            public Result onEventTime(long time, TimeWindow window, Context ctx) {
                return Trigger.eventTime().onEventTime(time, window, ctx);
            }

            @Override
            public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
                return Result.CONTINUE;
            }

            @Override
            public void clear(TimeWindow window, Context ctx) {
                cleared.add(window + " " + ctx.state(seen));
                ctx.setState(seen, null);
            }
        };
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(TumblingWindows.eventTime(TEN),
                w -> w.trigger(counting).allowedLateness(Duration.ofMillis(5))), 0, 1)) {
            h.processElement(1L, 1);
            h.processElement(1L, 2);
            h.processWatermark(9);
            assertEquals(List.of(), cleared, "fired, not yet cleaned up");

            h.processWatermark(14);

            assertEquals(List.of("TimeWindow[start=0, end=10] 2"), cleared);
            assertEquals(List.of("1@[0,10)=2"), h.values());
        }
    }

    @Test
    void aTriggerCanLookAtTheRecord() throws Exception {
        // Flink's Trigger.onElement gets the element: here a record of 900 or more closes the window.
        Trigger onMarker = new Trigger() {
            @Override
            public Result onElement(Object record, long timestamp, TimeWindow window, Context ctx) {
                return (Long) record >= 900 ? Result.FIRE_AND_PURGE : Result.CONTINUE;
            }

            @Override
            public Result onElement(long timestamp, TimeWindow window, Context ctx) {
                return Result.CONTINUE;
            }

            @Override
            public Result onEventTime(long time, TimeWindow window, Context ctx) {
                return Result.CONTINUE;
            }

            @Override
            public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
                return Result.CONTINUE;
            }
        };
        try (OperatorHarness<Long, String> h = OperatorHarness.of(records(GlobalWindows.create(),
                w -> w.trigger(onMarker)), 0, 1)) {
            h.processElement(1L, 1);
            h.processElement(101L, 2);
            h.processElement(901L, 3);
            h.processElement(201L, 4);

            assertEquals(List.of("1@global=[1, 101, 901]"), h.values());
        }
    }

    @Test
    void aTriggerThatCannotMergeIsRefusedForSessionWindows() {
        // Flink refuses a trigger whose canMerge() is false on merging windows.
        Trigger unmergeable = new Trigger() {
            @Override
            public Result onElement(long timestamp, TimeWindow window, Context ctx) {
                return Result.CONTINUE;
            }

            @Override
            public Result onEventTime(long time, TimeWindow window, Context ctx) {
                return Result.CONTINUE;
            }

            @Override
            public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
                return Result.CONTINUE;
            }

            @Override
            public boolean canMerge() {
                return false;
            }
        };

        DataStream<String> stream = counts(SessionWindows.eventTime(TEN), w -> w.trigger(unmergeable));

        assertTrue(stream.node().problems().stream().anyMatch(p -> p.contains("cannot be used with merging windows")),
                stream.node().problems().toString());
    }

    @Test
    void aPurgingTriggerOnSessionsStartsOverAfterEachFiring() throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(records(SessionWindows.eventTime(TEN),
                w -> w.trigger(PurgingTrigger.of(CountTrigger.of(2)))), 0, 1)) {
            h.processElement(3L, 1);
            h.processElement(103L, 2);  // fires [3, 103], purged
            h.processElement(203L, 4);  // same session, 1 record since
            h.processElement(303L, 5);  // fires [203, 303]

            assertEquals(List.of("3@[1,12)=[3, 103]", "3@[1,15)=[203, 303]"), h.values());
        }
    }
}
