package io.tidemill.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.OutputTag;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.Collector;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.graph.Node;
import io.tidemill.graph.WatermarkUse;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.SlidingWindows;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A source sends only the watermarks its downstream operators act on (as Jet throttles watermarks to
 * the window's frame): aligned windows act at window ends, so the watermark is rounded down to them;
 * an operator that may act on any watermark (timers, user code) gets every one.
 */
@Timeout(60)
class WatermarkThrottlingTest {

    @Test
    void behindAlignedWindowsTheSourceRoundsToTheirPanes() {
        Pipeline p = Pipeline.create().setParallelism(2);
        numbers(p).map(v -> v + 1).filter(v -> v > 0).keyBy(v -> v % 10)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10))).aggregate(Aggregates.count())
                .keyBy(c -> c % 3).window(SlidingWindows.eventTime(Duration.ofMillis(30), Duration.ofMillis(15)))
                .aggregate(Aggregates.count())
                .sinkTo(new CollectSink<>());

        assertEquals(List.of(WatermarkUse.panes(10, 0), WatermarkUse.panes(15, 0)), gridsOfTheSource(p));
    }

    @Test
    void preAggregatedWindowsRoundToTheirPanesToo() {
        Pipeline p = Pipeline.create().setParallelism(2);
        numbers(p).keyBy(v -> v % 10)
                .window(SlidingWindows.eventTime(Duration.ofMillis(10), Duration.ofMillis(4)))
                .preAggregate().aggregate(Aggregates.count())
                .sinkTo(new CollectSink<>());

        assertEquals(List.of(WatermarkUse.panes(2, 0)), gridsOfTheSource(p));
    }

    @Test
    void aProcessFunctionDownstreamGetsEveryWatermark() {
        Pipeline p = Pipeline.create().setParallelism(2);
        DataStream<Long> counts = numbers(p).keyBy(v -> v % 10)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10))).aggregate(Aggregates.count());
        counts.keyBy(c -> c % 3).process(new KeyedProcessFunction<Long, Long, Long>() {
            @Override
            public void processElement(Long value, Context<Long> ctx, Collector<Long> out) {
                out.collect(value);
            }
        }).sinkTo(new CollectSink<>());

        assertEquals(List.of(), gridsOfTheSource(p));
    }

    @Test
    void windowsWithAllowedLatenessGetEveryWatermark() {
        Pipeline p = Pipeline.create().setParallelism(2);
        numbers(p).keyBy(v -> v % 10).window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .allowedLateness(Duration.ofMillis(5)).aggregate(Aggregates.count())
                .sinkTo(new CollectSink<>());

        assertEquals(List.of(), gridsOfTheSource(p));
    }

    /**
     * The rounded watermark judges lateness exactly as every watermark would: the source reads 256
     * records per step and sends a watermark after each; the first step ends with timestamp 14
     * (watermark 13, sent as 9, the end of [0,10)), and the next step's record 9 is late for [0,10)
     * while 12 still counts in [10,20).
     */
    @Test
    void lateRecordsAreTheSameAsWithEveryWatermark() {
        List<Long> input = new ArrayList<>();
        for (int i = 0; i < 255; i++) {
            input.add(1L);
        }
        input.add(14L);
        input.add(9L);
        input.add(12L);
        OutputTag<Long> late = new OutputTag<>("late");
        CollectSink<String> windows = new CollectSink<>();
        CollectSink<Long> lateRecords = new CollectSink<>();
        Pipeline p = Pipeline.create().setParallelism(1);
        DataStream<Long> counts = p.fromCollection(input, WatermarkStrategy.<Long>forBoundedOutOfOrderness(
                        Duration.ZERO).withTimestampAssigner((v, ts) -> v))
                .keyBy(v -> 0L).window(TumblingWindows.eventTime(Duration.ofMillis(10))).sideOutputLateData(late)
                .aggregate(Aggregates.count());
        counts.map(c -> "count " + c).sinkTo(windows);
        counts.getSideOutput(late).sinkTo(lateRecords);
        assertEquals(List.of(WatermarkUse.panes(10, 0)), gridsOfTheSource(p));

        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(p);
        }

        assertEquals(List.of("count 255", "count 2"), windows.values());
        assertEquals(List.of(9L), lateRecords.values());
    }

    private static DataStream<Long> numbers(Pipeline p) {
        return p.fromCollection(List.of(1L, 2L, 3L), WatermarkStrategy.<Long>forBoundedOutOfOrderness(
                Duration.ofMillis(5)).withTimestampAssigner((v, ts) -> v));
    }

    private static List<WatermarkUse> gridsOfTheSource(Pipeline p) {
        ExecutionPlan plan = Planner.plan(p);
        Node source = plan.vertices().get(0).head();
        assertEquals(Node.Kind.SOURCE, source.kind());
        return plan.watermarkGrids(source);
    }
}
