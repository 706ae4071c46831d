package io.tidemill.window;

import static io.tidemill.window.WindowStories.counts;
import static io.tidemill.window.WindowStories.records;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.DataStream;
import io.tidemill.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Evictors on the general window operator, before and after the window function, each story citing
 * the Flink evictor it follows. Records are {@code key + 100 i}; a count trigger of 1 fires a global
 * window on every record.
 */
@Timeout(30)
class EvictorsTest {

    private static OperatorHarness<Long, String> everyRecord(Evictor<Long> evictor) throws Exception {
        return OperatorHarness.of(records(GlobalWindows.create(), w -> w.trigger(CountTrigger.of(1)).evictor(evictor)),
                0, 1);
    }

    @Test
    void aCountEvictorBeforeTheFunctionKeepsTheLastRecords() throws Exception {
        // Flink's CountEvictor: keeps maxCount elements, evicting from the beginning, before the function.
        try (OperatorHarness<Long, String> h = everyRecord(CountEvictor.of(2))) {
            for (long i = 0; i < 4; i++) {
                h.processElement(1 + 100 * i, i);
            }

            assertEquals(List.of("1@global=[1]", "1@global=[1, 101]", "1@global=[101, 201]", "1@global=[201, 301]"),
                    h.values());
        }
    }

    @Test
    void aCountEvictorAfterTheFunctionLetsItSeeAllThenEvicts() throws Exception {
        // Flink's CountEvictor.of(maxCount, doEvictAfter = true): evicts after the function ran.
        try (OperatorHarness<Long, String> h = everyRecord(CountEvictor.of(2, true))) {
            for (long i = 0; i < 4; i++) {
                h.processElement(1 + 100 * i, i);
            }

            assertEquals(List.of("1@global=[1]", "1@global=[1, 101]", "1@global=[1, 101, 201]",
                    "1@global=[101, 201, 301]"), h.values());
        }
    }

    @Test
    void aTimeEvictorKeepsRecordsNewerThanTheNewestMinusItsSize() throws Exception {
        // Flink's TimeEvictor: evicts records with timestamp <= max timestamp - windowSize.
        try (OperatorHarness<Long, String> h = OperatorHarness.of(records(GlobalWindows.create(),
                w -> w.trigger(CountTrigger.of(4)).evictor(TimeEvictor.of(Duration.ofMillis(5)))), 0, 1)) {
            h.processElement(1L, 1);
            h.processElement(101L, 10);
            h.processElement(201L, 12);
            h.processElement(301L, 15);  // cutoff 15 - 5 = 10: 1 and 101 go

            assertEquals(List.of("1@global=[201, 301]"), h.values());
        }
    }

    @Test
    void aDeltaEvictorEvictsRecordsTooFarFromTheLastOne() throws Exception {
        // Flink's DeltaEvictor: evicts elements whose delta to the last element is >= threshold.
        DeltaEvictor<Long> delta = DeltaEvictor.of(500, (a, b) -> Math.abs(a - b));
        try (OperatorHarness<Long, String> h = OperatorHarness.of(records(GlobalWindows.create(),
                w -> w.trigger(CountTrigger.of(4)).evictor(delta)), 0, 1)) {
            h.processElement(1L, 1);
            h.processElement(801L, 2);
            h.processElement(1001L, 3);
            h.processElement(1201L, 4);  // deltas to 1201: 1200, 400, 200, 0

            assertEquals(List.of("1@global=[801, 1001, 1201]"), h.values());
        }
    }

    @Test
    void anAggregateSeesOnlyWhatTheEvictorLeavesOnTimeWindows() throws Exception {
        // Flink's EvictingWindowOperator applies the aggregate to the remaining elements at firing.
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(TumblingWindows.eventTime(
                Duration.ofMillis(10)), w -> w.evictor(CountEvictor.of(2))), 0, 1)) {
            for (long i = 0; i < 5; i++) {
                h.processElement(2 + 100 * i, i);
            }
            h.processWatermark(9);

            assertEquals(List.of("2@[0,10)=2"), h.values());
        }
    }

    @Test
    void evictedRecordsAreGoneFromTheCheckpointedWindow() throws Exception {
        DataStream<String> stream = records(GlobalWindows.create(), w -> w.trigger(CountTrigger.of(3))
                .evictor(CountEvictor.of(2, true)));
        OperatorHarness.Snapshot snapshot;
        try (OperatorHarness<Long, String> h = OperatorHarness.of(stream, 0, 1)) {
            for (long i = 0; i < 3; i++) {
                h.processElement(4 + 100 * i, 10 * i);
            }
            assertEquals(List.of("4@global=[4, 104, 204]"), h.values());
            snapshot = h.snapshot(1);
        }

        try (OperatorHarness<Long, String> h = OperatorHarness.restored(stream, 0, 1, List.of(snapshot))) {
            for (long i = 3; i < 6; i++) {
                h.processElement(4 + 100 * i, 10 * i);
            }

            assertEquals(List.of("4@global=[104, 204, 304, 404, 504]"), h.values());
        }
    }
}
