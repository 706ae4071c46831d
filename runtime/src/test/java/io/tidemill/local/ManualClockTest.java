package io.tidemill.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.ManualClock;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.testing.Event;
import io.tidemill.testing.GatedSource;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A job on a {@link LocalCluster} given a {@link ManualClock}: processing time moves only when the
 * test moves the clock, so processing-time timers and idleness timeouts happen exactly then, whatever
 * the wall clock does (Flink's harnesses do the same with {@code setProcessingTime}).
 */
@Timeout(60)
class ManualClockTest {
    private final ManualClock clock = new ManualClock(5_000);
    private final AtomicLong gate = new AtomicLong(-1);
    private LocalCluster cluster;
    private JobHandle job;

    @BeforeEach
    void start() {
        cluster = LocalCluster.start(2, clock);
    }

    @AfterEach
    void stop() {
        if (job != null) {
            job.cancel();
            await().atMost(Duration.ofSeconds(10)).until(() -> job.result().isDone());
        }
        cluster.close();
    }

    @Test
    void aProcessingTimeTimerFiresWhenTheTestMovesTheClockToIt() {
        // given a keyed function that registers a timer 1 s of processing time after each record
        Pipeline pipeline = Pipeline.create().setParallelism(2);
        CollectSink<String> sink = new CollectSink<>();
        pipeline.fromSource(new GatedSource("a", 10, gate), WatermarkStrategy.<Event>forMonotonousTimestamps()
                        .withTimestampAssigner((e, ts) -> e.ts()), "events")
                .keyBy(Event::key)
                .process(new KeyedProcessFunction<String, Event, String>() {
                    @Override
                    public void processElement(Event e, Context<String> ctx, Collector<String> out) {
                        long now = ctx.timerService().currentProcessingTime();
                        out.collect("seen " + e + " at " + now);
                        ctx.timerService().registerProcessingTimeTimer(now + 1_000);
                    }

                    @Override
                    public void onTimer(long time, OnTimerContext<String> ctx, Collector<String> out) {
                        out.collect(ctx.timeDomain() + " timer of " + ctx.currentKey() + " at " + time);
                    }
                })
                .sinkTo(sink);
        job = cluster.submit(pipeline);

        // when one record comes at processing time 5000
        gate.set(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() == 1);
        assertEquals(List.of("seen a@0 at 5000"), sink.values());

        // then nothing fires before the clock reaches 6000, however long the wall clock runs
        clock.advance(Duration.ofMillis(999));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> sink.size() == 1);
        clock.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() == 2);
        assertEquals("PROCESSING_TIME timer of a at 6000", sink.values().get(1));
    }

    @Test
    void anInputIsMarkedIdleWhenTheClockPassesItsTimeout() {
        // given an active input past the first window and a silent input with a 10 s idleness timeout
        AtomicLong silentGate = new AtomicLong(-1);
        WatermarkStrategy<Event> eventTime = WatermarkStrategy.<Event>forMonotonousTimestamps()
                .withTimestampAssigner((e, ts) -> e.ts());
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        CollectSink<String> sink = new CollectSink<>();
        DataStream<Event> active = pipeline.fromSource(new GatedSource("active", 10, gate), eventTime, "active");
        DataStream<Event> silent = pipeline.fromSource(new GatedSource("silent", 10, silentGate),
                eventTime.withIdleness(Duration.ofSeconds(10)), "silent");
        active.union(silent)
                .keyBy(e -> "all")
                .window(TumblingWindows.eventTime(Duration.ofMillis(100)))
                .aggregate(Aggregates.count(), new ProcessWindowFunction<Long, String, String>() {
                    @Override
                    public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                        out.collect("[" + ctx.window().start() + "," + ctx.window().end() + ") "
                                + counts.iterator().next());
                    }
                })
                .sinkTo(sink);
        gate.set(150);
        job = cluster.submit(pipeline);
        await().atMost(Duration.ofSeconds(5)).until(() -> job.recordsIn() == 16);

        // when less than the timeout passes on the clock, the silent input holds the window back
        clock.advance(Duration.ofMillis(9_999));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> sink.size() == 0);

        // then at the timeout it is idle, and the window fires from the active input alone
        clock.advance(Duration.ofMillis(1));
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() == 1);
        assertEquals(List.of("[0,100) 10"), sink.values());
    }
}
