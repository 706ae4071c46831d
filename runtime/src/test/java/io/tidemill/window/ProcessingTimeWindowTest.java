package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.ManualClock;
import io.tidemill.api.Pipeline;
import io.tidemill.api.source.Source;
import io.tidemill.api.source.SourceOutput;
import io.tidemill.api.source.SourceSplit;
import io.tidemill.api.source.SplitReader;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.testing.Event;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Processing-time windows, driven by a {@link ManualClock}: records go to the windows of the
 * processing time at which the window operator sees them, and a window fires when processing time
 * reaches its last millisecond (Flink's {@code ProcessingTimeTrigger}: a timer at
 * {@code window.maxTimestamp()}), not at the end of input. And on a bounded input that ends long
 * before the windows' end on the wall clock, every window still open then fires once with what it
 * holds: there the windows are a century long (epoch-aligned, so the current one ends in 2070) so that
 * a test run never straddles a window boundary and the rows do not depend on when the test runs.
 */
@Timeout(60)
class ProcessingTimeWindowTest {
    private static final Duration CENTURY = Duration.ofDays(36_500);

    static Stream<Arguments> assigners() {
        return Stream.of(
                Arguments.of(Named.of("tumbling", TumblingWindows.processingTime(CENTURY))),
                Arguments.of(Named.of("sliding", SlidingWindows.processingTime(CENTURY.multipliedBy(2), CENTURY))),
                Arguments.of(Named.of("session", SessionWindows.processingTime(CENTURY))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("assigners")
    void openWindowsFireAtTheEndOfBoundedInput(WindowAssigner assigner) {
        // given a bounded input whose timestamps are ignored by processing-time windows
        List<Event> input = Event.parse("a@1 b@500000 a@2 a@999999999");
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        CollectSink<String> sink = new CollectSink<>();
        pipeline.fromCollection(input, WatermarkStrategy.<Event>processingTime())
                .keyBy(Event::key)
                .window(assigner)
                .aggregate(Aggregates.count(), new ProcessWindowFunction<Long, String, String>() {
                    @Override
                    public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                        long now = System.currentTimeMillis();
                        boolean containsNow = ctx.window().start() <= now && now < ctx.window().end();
                        for (long c : counts) {
                            out.collect(key + " " + c + (containsNow ? "" : " (window not containing now)"));
                        }
                    }
                })
                .sinkTo(sink);

        // when
        try (LocalCluster cluster = LocalCluster.start(1)) {
            cluster.execute(pipeline);
        }

        // then: one row per key and window holding all of the key's records
        List<String> expected = assigner instanceof SlidingWindows
                ? List.of("a 3", "a 3", "b 1", "b 1") : List.of("a 3", "b 1");
        List<String> got = new ArrayList<>(sink.values());
        got.sort(null);
        assertEquals(expected, got);
    }
    /**
     * A bounded one-split source playing a script, one step per read: a key is a record, {@code +N}
     * moves the clock to N. The source task reads the next step only after the records of the last
     * one went through its chain (the window operator too, at parallelism 1), and fires the
     * processing-time timers due after each step, so the script fixes which window a record is in
     * and when each window fires.
     */
    record Script(ManualClock clock, List<String> steps) implements Source<String> {
        private static final SourceSplit ONLY = () -> "script";

        @Override
        public boolean isBounded() {
            return true;
        }

        @Override
        public List<SourceSplit> createSplits(int parallelism) {
            return List.of(ONLY);
        }

        @Override
        public SplitReader<String> createReader(SourceSplit split, long offset) {
            return new SplitReader<>() {
                private int next = (int) offset;

                @Override
                public Status read(SourceOutput<String> out, int max) {
                    String step = steps.get(next++);
                    if (step.startsWith("+")) {
                        clock.set(Long.parseLong(step.substring(1)));
                    } else {
                        out.collect(step);
                    }
                    return next < steps.size() ? Status.MORE : Status.END;
                }

                @Override
                public long offset() {
                    return next;
                }
            };
        }
    }

    /** {@code key count [start,end) at <processing time of the firing>}, in firing order. */
    private static List<String> play(WindowAssigner assigner, String script) {
        ManualClock clock = new ManualClock(0);
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        CollectSink<String> sink = new CollectSink<>();
        pipeline.fromSource(new Script(clock, List.of(script.trim().split("\\s+"))),
                        WatermarkStrategy.<String>processingTime(), "script")
                .keyBy(k -> k)
                .window(assigner)
                .aggregate(Aggregates.count(), new ProcessWindowFunction<Long, String, String>() {
                    @Override
                    public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                        out.collect(key + " " + counts.iterator().next() + " [" + ctx.window().start() + ","
                                + ctx.window().end() + ") at " + ctx.currentProcessingTime());
                    }
                })
                .sinkTo(sink);
        try (LocalCluster cluster = LocalCluster.start(1, clock)) {
            cluster.execute(pipeline);
        }
        return sink.values();
    }

    @org.junit.jupiter.api.Test
    void tumblingWindowsFireWhenTheClockReachesTheirEnd() {
        List<String> fired = play(TumblingWindows.processingTime(Duration.ofSeconds(10)),
                "a b +3000 a +9998 b +9999 +10000 a +19999 +25000");

        assertEquals(List.of("a 2 [0,10000) at 9999", "b 2 [0,10000) at 9999", "a 1 [10000,20000) at 19999"), fired);
    }

    @org.junit.jupiter.api.Test
    void slidingWindowsFireOnePaneAfterAnother() {
        List<String> fired = play(SlidingWindows.processingTime(Duration.ofSeconds(10), Duration.ofSeconds(5)),
                "a +5000 a +10000 +15000 +16000");

        assertEquals(List.of("a 1 [-5000,5000) at 5000", "a 2 [0,10000) at 10000", "a 1 [5000,15000) at 15000"),
                fired);
    }

    /**
     * Bug: a window whose processing-time timer came due in the task step that ended the input fired
     * twice, once at the end of input and once more by the timer.
     */
    @org.junit.jupiter.api.Test
    void aWindowDueWhenTheInputEndsFiresOnce() {
        List<String> fired = play(TumblingWindows.processingTime(Duration.ofSeconds(10)), "a +10000");

        assertEquals(List.of("a 1 [0,10000) at 10000"), fired);
    }

    @org.junit.jupiter.api.Test
    void sessionWindowsFireAGapAfterTheirLastRecord() {
        List<String> fired = play(SessionWindows.processingTime(Duration.ofSeconds(5)),
                "a +3000 a +7999 +8000 a +20000 +21000");

        assertEquals(List.of("a 2 [0,8000) at 7999", "a 1 [8000,13000) at 20000"), fired);
    }
}
