package io.tidemill.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ProcessJoinFunction;
import io.tidemill.testing.OperatorHarness;
import io.tidemill.testing.OperatorHarness.Emitted;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The keyed process operator's timers and the interval join's state cleanup, one call at a time. */
class KeyedOperatorsHarnessTest {
    /** Registers an event-time timer 10 after each record and a processing-time one at 1000. */
    private static DataStream<String> timers() {
        Pipeline p = Pipeline.create();
        return p.fromCollection(List.of(0L), WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((v, ts) -> v))
                .keyBy(v -> v % 3)
                .process(new KeyedProcessFunction<Long, Long, String>() {
                    @Override
                    public void processElement(Long value, Context<Long> ctx, Collector<String> out) {
                        ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 10);
                        ctx.timerService().registerProcessingTimeTimer(1000);
                    }

                    @Override
                    public void onTimer(long time, OnTimerContext<Long> ctx, Collector<String> out) {
                        out.collect("key " + ctx.currentKey() + " timer " + time);
                    }
                });
    }

    @Test
    void eventTimeTimersFireInTimeOrderBeforeTheWatermarkGoesOn() throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(timers(), 0, 1)) {
            h.processElement(1L, 5);
            h.processElement(2L, 1);
            h.processElement(4L, 5); // same key and time as the first: one timer

            h.processWatermark(15);

            assertEquals(List.of(new Emitted.Record<>("key 2 timer 11", 11), new Emitted.Record<>("key 1 timer 15", 15),
                    new Emitted.Watermark(15)), h.output());
        }
    }

    @Test
    void processingTimeTimersFireWhenTheClockReachesThem() throws Exception {
        try (OperatorHarness<Long, String> h = OperatorHarness.of(timers(), 0, 1)) {
            h.processElement(1L, 5);
            assertEquals(1000, h.nextProcessingTime());

            h.setProcessingTime(999);
            assertEquals(List.of(), h.values());
            h.setProcessingTime(1000);

            assertEquals(List.of("key 1 timer 1000"), h.values());
        }
    }

    @Test
    void timersSurviveASnapshotIntoAFreshInstanceAtAnotherParallelism() throws Exception {
        DataStream<String> stream = timers();
        OperatorHarness.Snapshot snapshot;
        try (OperatorHarness<Long, String> h = OperatorHarness.of(stream, 0, 1)) {
            for (long v = 0; v < 3; v++) {
                h.processElement(v, 100 + v);
            }
            snapshot = h.snapshot(3);
        }

        List<String> fired = new ArrayList<>();
        for (int subtask = 0; subtask < 2; subtask++) {
            try (OperatorHarness<Long, String> h = OperatorHarness.restored(stream, subtask, 2, List.of(snapshot))) {
                h.processWatermark(200);
                fired.addAll(h.values());
            }
        }
        fired.sort(null);
        assertEquals(List.of("key 0 timer 110", "key 1 timer 111", "key 2 timer 112"), fired);
    }

    @Test
    void anIntervalJoinDropsItsBufferedRecordsOnceTheWatermarkPassesThem() throws Exception {
        Pipeline p = Pipeline.create();
        WatermarkStrategy<Long> ts = WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((v, t) -> v);
        DataStream<String> joined = p.fromCollection(List.of(0L), ts).keyBy(v -> 0L)
                .intervalJoin(p.fromCollection(List.of(0L), ts).keyBy(v -> 0L))
                .between(Duration.ofMillis(-5), Duration.ofMillis(5))
                .process(new ProcessJoinFunction<Long, Long, String>() {
                    @Override
                    public void processElement(Long left, Long right, Context ctx, Collector<String> out) {
                        out.collect(left + "-" + right);
                    }
                });
        try (OperatorHarness<Tagged, String> h = OperatorHarness.of(joined, 0, 1)) {
            h.processElement(new Tagged(Tagged.LEFT, 10L), 10);
            h.processElement(new Tagged(Tagged.RIGHT, 13L), 13);
            h.processElement(new Tagged(Tagged.RIGHT, 30L), 30);
            assertEquals(List.of(new Emitted.Record<>("10-13", 13)), h.output());
            assertEquals(1, h.keyedStateSize() > 0 ? 1 : 0);

            h.processWatermark(40); // every buffered record is past its partners' reach

            assertEquals(0, h.keyedStateSize(), "buffers left after the watermark passed them");
        }
    }
}
