package io.tidemill.watermark;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.JobResult;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.JobHandle;
import io.tidemill.local.LocalCluster;
import io.tidemill.testing.Event;
import io.tidemill.testing.GatedSource;
import io.tidemill.testing.OneByOneSource;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Watermark generators of one's own ({@code WatermarkStrategy.forGenerator}) and watermark alignment,
 * with Flink's meaning: a punctuated generator emits in {@code onEvent}, a periodic one in
 * {@code onPeriodicEmit}; {@code markIdle()} lets a split stop holding back the watermark; within an
 * alignment group, a split more than the max drift ahead of the group's slowest is not read until
 * the slowest catches up (FLIP-182).
 */
@Timeout(60)
class WatermarkGeneratorTest {
    private LocalCluster cluster;
    private JobHandle job;

    @BeforeEach
    void startCluster() {
        cluster = LocalCluster.start(2);
    }

    @AfterEach
    void cancelJobAndCloseCluster() {
        if (job != null) {
            job.cancel();
            await().atMost(Duration.ofSeconds(10)).until(() -> job.result().isDone());
        }
        cluster.close();
    }

    /** Emits a watermark at the timestamp of each {@code time@t} marker record, and nothing periodically. */
    static final class Punctuated implements WatermarkGenerator<Event> {
        @Override
        public void onEvent(Event e, long timestamp, WatermarkOutput out) {
            if (e.isTimeMarker()) {
                out.emitWatermark(new Watermark(timestamp));
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput out) {}
    }

    private static CollectSink<String> windowCounts(DataStream<Event> events) {
        CollectSink<String> sink = new CollectSink<>();
        events.filter(e -> !e.isTimeMarker()).keyBy(Event::key)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .aggregate(Aggregates.count(), new Row())
                .sinkTo(sink);
        return sink;
    }

    static final class Row extends ProcessWindowFunction<Long, String, String> {
        @Override
        public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
            out.collect(key + "[" + ctx.window().start() + "," + ctx.window().end() + ") " + counts.iterator().next());
        }
    }

    @Test
    void aPunctuatedGeneratorMovesEventTimeAtItsMarkers() {
        // given a marker at 10, then a record at 3: behind the marker's watermark, so late
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        DataStream<Event> events = pipeline.fromSource(
                new OneByOneSource<>(Event.parse("a@1 a@5 time@10 a@3 a@12")),
                WatermarkStrategy.forGenerator(Punctuated::new).withTimestampAssigner((e, ts) -> e.ts()), "events");
        CollectSink<String> rows = windowCounts(events);

        // when
        JobResult result = cluster.execute(pipeline);

        // then
        assertEquals(List.of("a[0,10) 2", "a[10,20) 1"), rows.values());
        assertEquals(1, result.lateRecordsDropped());
    }

    @Test
    void aGeneratorThatNeverEmitsLeavesEventTimeToTheEndOfInput() {
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        DataStream<Event> events = pipeline.fromSource(
                new OneByOneSource<>(Event.parse("a@1 a@5 time@10 a@3 a@12")),
                WatermarkStrategy.<Event>forGenerator(() -> new WatermarkGenerator<>() {
                    @Override
                    public void onEvent(Event e, long timestamp, WatermarkOutput out) {}

                    @Override
                    public void onPeriodicEmit(WatermarkOutput out) {}
                }).withTimestampAssigner((e, ts) -> e.ts()), "events");
        CollectSink<String> rows = windowCounts(events);

        JobResult result = cluster.execute(pipeline);

        assertEquals(List.of("a[0,10) 3", "a[10,20) 1"), sorted(rows.values()));
        assertEquals(0, result.lateRecordsDropped());
    }

    @Test
    void aPunctuatedGeneratorWorksAfterAssignTimestampsAndWatermarksToo() {
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        DataStream<Event> events = pipeline.fromSource(
                        new OneByOneSource<>(Event.parse("a@1 a@5 time@10 a@3 a@12")),
                        WatermarkStrategy.noWatermarks(), "events")
                .assignTimestampsAndWatermarks(
                        WatermarkStrategy.forGenerator(Punctuated::new).withTimestampAssigner((e, ts) -> e.ts()));
        CollectSink<String> rows = windowCounts(events);

        JobResult result = cluster.execute(pipeline);

        assertEquals(List.of("a[0,10) 2", "a[10,20) 1"), rows.values());
        assertEquals(1, result.lateRecordsDropped());
    }

    @Test
    void aSplitItsGeneratorMarksIdleStopsHoldingBackTheWatermark() {
        // given an active input past the first window, and a silent one whose generator marks it idle
        AtomicLong activeGate = new AtomicLong(150);
        AtomicLong silentGate = new AtomicLong(-1);
        WatermarkStrategy<Event> bounded = WatermarkStrategy.<Event>forMonotonousTimestamps()
                .withTimestampAssigner((e, ts) -> e.ts());
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        DataStream<Event> active = pipeline.fromSource(new GatedSource("active", 10, activeGate), bounded, "active");
        DataStream<Event> silent = pipeline.fromSource(new GatedSource("silent", 10, silentGate),
                WatermarkStrategy.<Event>forGenerator(() -> new WatermarkGenerator<>() {
                    @Override
                    public void onEvent(Event e, long timestamp, WatermarkOutput out) {
                        out.emitWatermark(timestamp - 1);
                    }

                    @Override
                    public void onPeriodicEmit(WatermarkOutput out) {
                        out.markIdle();
                    }
                }).withTimestampAssigner((e, ts) -> e.ts()), "silent");
        CollectSink<String> rows = windowCounts(active.union(silent).map(e -> new Event("all", e.ts())));

        // when
        job = cluster.submit(pipeline);

        // then the window fires from the active input's watermark alone
        await().atMost(Duration.ofSeconds(5)).until(() -> rows.size() >= 1);
        assertEquals("all[0,10) 1", rows.values().get(0));
    }

    @Test
    void aSourceRunningAheadOfItsAlignmentGroupIsPausedUntilTheSlowestCatchesUp() {
        // given two sources of one alignment group (max drift 500 ms): a fast one that could read up
        // to 10 s of event time, and a slow one at 100 ms
        AtomicLong fastGate = new AtomicLong(10_000);
        AtomicLong slowGate = new AtomicLong(100);
        WatermarkStrategy<Event> aligned = WatermarkStrategy.<Event>forMonotonousTimestamps()
                .withTimestampAssigner((e, ts) -> e.ts())
                .withWatermarkAlignment("group", Duration.ofMillis(500), Duration.ofMillis(1));
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        DataStream<Event> fast = pipeline.fromSource(new GatedSource("fast", 10, fastGate), aligned, "fast");
        DataStream<Event> slow = pipeline.fromSource(new GatedSource("slow", 10, slowGate), aligned, "slow");
        CollectSink<String> rows = windowCounts(fast.union(slow).map(e -> new Event("all", e.ts())));

        // when
        job = cluster.submit(pipeline);

        // then the fast source stops within a batch (256 records) past the slow one's watermark + drift
        await().atMost(Duration.ofSeconds(5)).until(() -> job.recordsIn() >= 11 + 256);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .until(() -> job.recordsIn() <= 11 + 2 * 256);

        // and goes on when the slow one catches up
        slowGate.set(10_000);
        await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() == 2 * 1_001);
        await().atMost(Duration.ofSeconds(5)).until(() -> rows.size() >= 999);
        assertTrue(rows.values().contains("all[0,10) 2"), rows.values().get(0));
    }

    @Test
    void withoutAlignmentTheFastSourceReadsAhead() {
        AtomicLong fastGate = new AtomicLong(10_000);
        AtomicLong slowGate = new AtomicLong(100);
        WatermarkStrategy<Event> bounded = WatermarkStrategy.<Event>forMonotonousTimestamps()
                .withTimestampAssigner((e, ts) -> e.ts());
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        DataStream<Event> fast = pipeline.fromSource(new GatedSource("fast", 10, fastGate), bounded, "fast");
        DataStream<Event> slow = pipeline.fromSource(new GatedSource("slow", 10, slowGate), bounded, "slow");
        windowCounts(fast.union(slow));

        job = cluster.submit(pipeline);

        await().atMost(Duration.ofSeconds(5)).until(() -> job.recordsIn() == 1_001 + 11);
    }

    private static List<String> sorted(List<String> values) {
        List<String> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }
}
