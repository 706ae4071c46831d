package io.tidemill.watermark;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.JobHandle;
import io.tidemill.local.LocalCluster;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.Output;
import io.tidemill.testing.Event;
import io.tidemill.testing.GatedSource;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How watermarks flow through a union of inputs into event-time operators. Each input is a
 * {@link GatedSource}: it emits events of one key every 10 ms of event time up to a gate the test
 * raises, so the test decides each input's watermark ({@code gate - 1}).
 */
class WatermarkPropagationTest {
    private static final WatermarkStrategy<Event> EVENT_TIME = WatermarkStrategy
            .<Event>forBoundedOutOfOrderness(Duration.ZERO)
            .withTimestampAssigner((e, ts) -> e.ts());

    private final AtomicLong fastGate = new AtomicLong();
    private final AtomicLong slowGate = new AtomicLong();
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

    @Test
    void windowWaitsForTheSlowInputThenFiresWhenItAdvances() {
        // given a fast input far ahead and a slow input still at the start of the window [0,100)
        fastGate.set(1_000);
        slowGate.set(50);
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        CollectSink<String> sink = new CollectSink<>();
        DataStream<Event> fast = pipeline.fromSource(new GatedSource("fast", 10, fastGate), EVENT_TIME, "fast");
        DataStream<Event> slow = pipeline.fromSource(new GatedSource("slow", 10, slowGate), EVENT_TIME, "slow");
        fast.union(slow)
                .keyBy(e -> "all")
                .window(TumblingWindows.eventTime(Duration.ofMillis(100)))
                .aggregate(Aggregates.count(), new WindowRow())
                .sinkTo(sink);

        // when the job runs, then the first window does not fire while the slow input is behind it
        job = cluster.submit(pipeline);
        await().atMost(Duration.ofSeconds(5)).until(() -> job.recordsIn() == 101 + 6);
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> sink.size() == 0);

        // when the slow input passes the window's end
        slowGate.set(100);

        // then the window fires with the records of both inputs: 10 fast + 10 slow in [0,100)
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= 1);
        assertEquals(List.of("[0,100) 20"), sink.values());
    }

    @Test
    void idleInputDoesNotHoldTheWindowBackForever() {
        // given an input that never emits, marked idle after 200 ms, and an active input past the window
        fastGate.set(150);
        slowGate.set(-1);
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        CollectSink<String> sink = new CollectSink<>();
        DataStream<Event> active = pipeline.fromSource(new GatedSource("active", 10, fastGate), EVENT_TIME, "active");
        DataStream<Event> idle = pipeline.fromSource(new GatedSource("idle", 10, slowGate),
                EVENT_TIME.withIdleness(Duration.ofMillis(200)), "idle");
        active.union(idle)
                .keyBy(e -> "all")
                .window(TumblingWindows.eventTime(Duration.ofMillis(100)))
                .aggregate(Aggregates.count(), new WindowRow())
                .sinkTo(sink);

        // when
        job = cluster.submit(pipeline);

        // then the window fires from the active input's watermark alone
        await().atMost(Duration.ofSeconds(5)).until(() -> sink.size() >= 1);
        assertEquals(List.of("[0,100) 10"), sink.values());
    }

    @Test
    void inputWithoutIdlenessHoldsTheWindowBack() {
        // given the same job as above, but the silent input is never marked idle
        fastGate.set(150);
        slowGate.set(-1);
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        CollectSink<String> sink = new CollectSink<>();
        DataStream<Event> active = pipeline.fromSource(new GatedSource("active", 10, fastGate), EVENT_TIME, "active");
        DataStream<Event> silent = pipeline.fromSource(new GatedSource("silent", 10, slowGate), EVENT_TIME, "silent");
        active.union(silent)
                .keyBy(e -> "all")
                .window(TumblingWindows.eventTime(Duration.ofMillis(100)))
                .aggregate(Aggregates.count(), new WindowRow())
                .sinkTo(sink);

        // when
        job = cluster.submit(pipeline);
        await().atMost(Duration.ofSeconds(5)).until(() -> job.recordsIn() == 16);

        // then: well past the 200 ms the other test needed, nothing fired
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> sink.size() == 0);
    }

    @Test
    void watermarkAfterUnionIsTheMinimumOfItsInputs() {
        // given two inputs at different event times, and an operator recording the watermarks it sees
        fastGate.set(1_000);
        slowGate.set(200);
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        WatermarkProbe probe = new WatermarkProbe();
        DataStream<Event> fast = pipeline.fromSource(new GatedSource("fast", 10, fastGate), EVENT_TIME, "fast");
        DataStream<Event> slow = pipeline.fromSource(new GatedSource("slow", 10, slowGate), EVENT_TIME, "slow");
        fast.union(slow).transform("probe", () -> probe).sinkTo(new CollectSink<>());

        // when, then: the watermark follows the slower input...
        job = cluster.submit(pipeline);
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.latest.get() == 199);
        slowGate.set(500);
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.latest.get() == 499);

        // ...until it overtakes the other one, which then holds the watermark back
        slowGate.set(5_000);
        await().atMost(Duration.ofSeconds(5)).until(() -> probe.latest.get() == 999);
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1)).until(() -> probe.latest.get() == 999);
        assertTrue(probe.isIncreasing(), "watermarks must never go back: " + probe.seen());
    }

    /** Formats {@code [start,end) count}. */
    private static final class WindowRow extends ProcessWindowFunction<Long, String, String> {
        @Override
        public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
            for (long c : counts) {
                out.collect("[" + ctx.window().start() + "," + ctx.window().end() + ") " + c);
            }
        }
    }

    /** A pass-through operator that records every watermark it receives (one instance: parallelism 1). */
    private static final class WatermarkProbe implements Operator<Event, Event> {
        final AtomicLong latest = new AtomicLong(Long.MIN_VALUE);
        private final List<Long> seen = new ArrayList<>();
        private Output<Event> out;

        @Override
        public void open(OperatorContext ctx, Output<Event> out) {
            this.out = out;
        }

        @Override
        public void processElement(Event value, long timestamp) {
            out.emit(value, timestamp);
        }

        @Override
        public void processWatermark(long watermark) {
            synchronized (seen) {
                seen.add(watermark);
            }
            latest.set(watermark);
            out.emitWatermark(watermark);
        }

        List<Long> seen() {
            synchronized (seen) {
                return new ArrayList<>(seen);
            }
        }

        boolean isIncreasing() {
            List<Long> s = seen();
            for (int i = 1; i < s.size(); i++) {
                if (s.get(i) <= s.get(i - 1)) {
                    return false;
                }
            }
            return true;
        }
    }
}
