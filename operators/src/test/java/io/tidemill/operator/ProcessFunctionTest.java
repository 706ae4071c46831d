package io.tidemill.operator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.DataStream;
import io.tidemill.api.OutputTag;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ProcessFunction;
import io.tidemill.testing.OperatorHarness;
import io.tidemill.testing.OperatorHarness.Emitted;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The process function of a stream that is not keyed, and the time domain a keyed timer reports, as
 * in Flink: {@code ProcessFunction.Context} gives the record's timestamp, the watermark, processing
 * time and side outputs, and refuses timers off a keyed stream ("Setting timers is only supported on
 * a keyed streams"); {@code OnTimerContext.timeDomain()} says which clock fired a timer.
 */
@Timeout(30)
class ProcessFunctionTest {
    private static final OutputTag<String> ODD = new OutputTag<>("odd");
    private static final WatermarkStrategy<Long> TS =
            WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((v, t) -> v);

    @Test
    void aProcessFunctionSeesTimestampAndWatermarkAndSplitsToASideOutput() throws Exception {
        DataStream<String> evens = Pipeline.create().fromCollection(List.of(0L), TS)
                .process(new ProcessFunction<Long, String>() {
                    @Override
                    public void processElement(Long v, Context ctx, Collector<String> out) {
                        String s = v + " at " + ctx.timestamp() + " wm " + ctx.timerService().currentWatermark()
                                + " now " + ctx.timerService().currentProcessingTime();
                        if (v % 2 == 0) {
                            out.collect(s);
                        } else {
                            ctx.output(ODD, s);
                        }
                    }
                });
        try (OperatorHarness<Long, String> h = OperatorHarness.of(evens, 0, 1)) {
            h.setProcessingTime(500);
            h.processElement(2L, 2);
            h.processWatermark(2);
            h.processElement(3L, 3);

            assertEquals(List.of(new Emitted.Record<>("2 at 2 wm " + Long.MIN_VALUE + " now 500", 2),
                    new Emitted.Watermark(2)), h.output());
            assertEquals(List.of(new Emitted.Record<>("3 at 3 wm 2 now 500", 3)), h.sideOutput(ODD));
        }
    }

    @Test
    void timersAreRefusedOffAKeyedStreamNamingTheOperator() throws Exception {
        DataStream<String> out = Pipeline.create().fromCollection(List.of(0L), TS)
                .process(new ProcessFunction<Long, String>() {
                    @Override
                    public void processElement(Long v, Context ctx, Collector<String> out) {
                        ctx.timerService().registerEventTimeTimer(v + 10);
                    }
                }).name("timed");
        try (OperatorHarness<Long, String> h = OperatorHarness.of(out, 0, 1)) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> h.processElement(1L, 1));
            assertTrue(e.getMessage().contains("'timed'") && e.getMessage().contains("keyed"), e.getMessage());
        }
    }

    @Test
    void onTimerSaysWhichTimeDomainFiredTheTimer() throws Exception {
        DataStream<String> out = Pipeline.create().fromCollection(List.of(0L), TS).keyBy(v -> v)
                .process(new KeyedProcessFunction<Long, Long, String>() {
                    @Override
                    public void processElement(Long v, Context<Long> ctx, Collector<String> out) {
                        ctx.timerService().registerEventTimeTimer(100);
                        ctx.timerService().registerProcessingTimeTimer(100);
                    }

                    @Override
                    public void onTimer(long time, OnTimerContext<Long> ctx, Collector<String> out) {
                        out.collect(ctx.timeDomain() + "@" + time + " ts " + ctx.timestamp());
                    }
                });
        try (OperatorHarness<Long, String> h = OperatorHarness.of(out, 0, 1)) {
            h.processElement(1L, 1);

            h.setProcessingTime(100);
            h.processWatermark(100);

            assertEquals(List.of("PROCESSING_TIME@100 ts 100", "EVENT_TIME@100 ts 100"), h.values());
        }
    }
}
