package io.tidemill.window;

import static io.tidemill.window.WindowStories.counts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.DataStream;
import io.tidemill.testing.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Global windows, dynamic session gaps, a custom merging assigner, and sliding windows with an offset. */
@Timeout(30)
class AssignersTest {

    @Test
    void aGlobalWindowWithItsDefaultTriggerNeverFires() throws Exception {
        // Flink's GlobalWindows default to a NeverTrigger; nothing fires at the end of input either.
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(GlobalWindows.create(), w -> w), 0, 1)) {
            h.processElement(1L, 1);
            h.processElement(2L, 2);
            h.setProcessingTime(Long.MAX_VALUE - 1);
            h.processWatermark(Long.MAX_VALUE);
            h.endInput();

            assertEquals(List.of(), h.values());
        }
    }

    @Test
    void globalWindowResultsCarryTheLastTimestampOfAllTime() throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(GlobalWindows.create(),
                w -> w.trigger(CountTrigger.of(1))), 0, 1)) {
            h.processElement(1L, 1);

            assertEquals(List.of(new OperatorHarness.Emitted.Record<>("1@global=1", Long.MAX_VALUE - 1)), h.output());
        }
    }

    /** Value {@code v}: key {@code v % 100}, session gap {@code v / 100} ms. */
    private static final SessionWindows.GapExtractor<Long> GAP_IN_HUNDREDS = v -> v / 100;

    @Test
    void eachRecordBringsItsOwnSessionGap() throws Exception {
        // Flink's EventTimeSessionWindows.withDynamicGap: a record opens [ts, ts + extract(record)).
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(
                SessionWindows.eventTimeWithDynamicGap(GAP_IN_HUNDREDS), w -> w), 0, 1)) {
            h.processElement(501L, 0);    // [0,5)
            h.processElement(1001L, 8);   // [8,18): 5 < 8, a session of its own
            h.processElement(401L, 4);    // [4,8) touches both: [0,18)
            h.processElement(201L, 30);   // [30,32)

            h.processWatermark(Long.MAX_VALUE);

            assertEquals(List.of("1@[0,18)=3", "1@[30,32)=1"), h.values());
        }
    }

    @Test
    void aDynamicGapThatIsNotPositiveFailsNamingTheGap() throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(
                SessionWindows.eventTimeWithDynamicGap(GAP_IN_HUNDREDS), w -> w), 0, 1)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> h.processElement(1L, 0));
            assertTrue(e.getMessage().contains("gave 0 ms"), e.getMessage());
        }
    }

    /** Sessions that also merge when less than 5 ms apart: a custom merging assigner. */
    private record NearSessions(long gap) implements WindowAssigner {
        @Override
        public void assignWindows(long timestamp, WindowSink sink) {
            sink.window(timestamp, timestamp + gap);
        }

        @Override
        public boolean mergesWith(TimeWindow a, TimeWindow b) {
            return a.start() < b.end() + 5 && b.start() < a.end() + 5;
        }

        @Override
        public boolean isEventTime() {
            return true;
        }

        @Override
        public boolean isMerging() {
            return true;
        }

        @Override
        public boolean canAssign(long timestamp) {
            return true;
        }

        @Override
        public List<String> validate() {
            return List.of();
        }
    }

    @Test
    void aCustomMergingAssignerDecidesWhichWindowsMerge() throws Exception {
        // Flink's MergingWindowAssigner.mergeWindows decides merges; here windows 4 ms apart merge
        // into the window covering them, windows 10 ms apart do not.
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(new NearSessions(10), w -> w), 0, 1)) {
            h.processElement(1L, 0);     // [0,10)
            h.processElement(1L, 34);    // [34,44)
            h.processElement(1L, 14);    // [14,24): 4 ms after [0,10), merges; 10 ms before [34,44)
            h.processElement(1L, 27);    // [27,37): merges [0,24) and [34,44) through it

            h.processWatermark(Long.MAX_VALUE);

            assertEquals(List.of("1@[0,44)=4"), h.values());
        }
    }

    @Test
    void slidingWindowsStartAtTheirOffset() throws Exception {
        // Flink's SlidingEventTimeWindows.of(size, slide, offset): windows start at offset + n * slide.
        try (OperatorHarness<Long, String> h = OperatorHarness.of(counts(SlidingWindows.eventTime(
                Duration.ofMillis(10), Duration.ofMillis(5), Duration.ofMillis(2)), w -> w), 0, 1)) {
            h.processElement(1L, 7);
            h.processWatermark(Long.MAX_VALUE);

            List<String> rows = new ArrayList<>(h.values());
            rows.sort(null);
            assertEquals(List.of("1@[2,12)=1", "1@[7,17)=1"), rows);
        }
    }

    @Test
    void aSlidingOffsetNotSmallerThanTheSlideIsRefused() {
        // Flink requires abs(offset) < slide.
        DataStream<String> stream = counts(SlidingWindows.eventTime(Duration.ofMillis(10), Duration.ofMillis(5),
                Duration.ofMillis(5)), w -> w);

        assertTrue(stream.node().problems().stream().anyMatch(p -> p.contains("smaller than the slide")),
                stream.node().problems().toString());
    }
}
