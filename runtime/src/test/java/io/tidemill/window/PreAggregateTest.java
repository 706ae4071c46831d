package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.JobResult;
import io.tidemill.api.OutputTag;
import io.tidemill.api.Pipeline;
import io.tidemill.api.WindowedStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessAllWindowFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.graph.InvalidPipelineException;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keyed windows aggregated in two phases ({@code preAggregate}: per subtask before the exchange,
 * merged after it) give exactly the rows and late counts of the same windows without it.
 */
class PreAggregateTest {
    /** A keyed value with its event time. */
    record Event(long key, long ts, long value) {}

    private static final WatermarkStrategy<Event> BOUNDED = WatermarkStrategy.<Event>forBoundedOutOfOrderness(
            Duration.ofMillis(400)).withTimestampAssigner((e, ts) -> e.ts());

    /**
     * 30 000 events over 50 keys with up to 399 ms of disorder; with {@code late}, every 40th is 3 s
     * behind. (Which records are late depends on how the source subtasks interleave when there are
     * several, with or without pre-aggregation, so late records are compared at parallelism 1.)
     */
    private static List<Event> events(boolean late) {
        Random r = new Random(7);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < 30_000; i++) {
            long ts = 2L * i + r.nextInt(400);
            events.add(new Event(r.nextInt(50), late && i % 40 == 0 ? Math.max(0, ts - 3_000) : ts, i));
        }
        return events;
    }

    /** {@code key:start:end:sum} of each window. */
    static final class Format extends ProcessWindowFunction<Long, String, Long> {
        @Override
        public void process(Long key, Context ctx, Iterable<Long> sums, Collector<String> out) {
            out.collect(key + ":" + ctx.window().start() + ":" + ctx.window().end() + ":" + sums.iterator().next());
        }
    }

    private record Run(List<String> rows, List<Event> late, JobResult result) {}

    private static Run run(int parallelism, WindowAssigner assigner, boolean preAggregate) {
        Pipeline p = Pipeline.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        WindowedStream<Long, Event> windows = p.fromCollection(events(parallelism == 1), BOUNDED).keyBy(Event::key)
                .window(assigner);
        if (preAggregate) {
            windows.preAggregate();
        }
        windows.aggregate(Aggregates.<Event>sum(Event::value), new Format()).sinkTo(sink);
        return execute(p, sink, new CollectSink<>());
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void tumblingAndSlidingWindowsGiveTheRowsAndLateCountsOfPlainKeyedWindows(int parallelism) {
        List<WindowAssigner> assigners = List.of(TumblingWindows.eventTime(Duration.ofMillis(1000)),
                SlidingWindows.eventTime(Duration.ofMillis(1000), Duration.ofMillis(400)));
        for (WindowAssigner assigner : assigners) {
            Run plain = run(parallelism, assigner, false);
            Run twoPhase = run(parallelism, assigner, true);

            if (parallelism == 1) {
                assertTrue(plain.result().lateRecordsDropped() > 0, "the input has records late for all their windows");
            }
            assertEquals(plain.rows().size(), twoPhase.rows().size(), assigner.toString());
            assertTrue(plain.rows().equals(twoPhase.rows()), assigner + ": the rows differ");
            assertEquals(plain.result().lateRecordsDropped(), twoPhase.result().lateRecordsDropped());
        }
    }

    /** At {@code parallelism}, behind one source subtask (so which records are late is fixed). */
    private static Run runWithLateness(int parallelism, WindowAssigner assigner, boolean preAggregate) {
        Pipeline p = Pipeline.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        CollectSink<Event> lateSink = new CollectSink<>();
        OutputTag<Event> tag = new OutputTag<>("late");
        WindowedStream<Long, Event> windows = p.fromCollection(events(true), BOUNDED).setParallelism(1)
                .keyBy(Event::key).window(assigner).allowedLateness(Duration.ofMillis(1800)).sideOutputLateData(tag);
        if (preAggregate) {
            windows.preAggregate();
        }
        DataStream<String> out = windows.aggregate(Aggregates.<Event>sum(Event::value), new Format());
        out.sinkTo(sink);
        out.getSideOutput(tag).sinkTo(lateSink);
        return execute(p, sink, lateSink);
    }

    /**
     * Bug: behind a source of parallelism 1, the local step ran at the pipeline's parallelism behind a
     * round-robin edge, so a record late at the source could reach the merging step through one local
     * subtask before the watermark that made it late came through the other: it was counted in a
     * window that then fired without the late side output seeing it. With one source subtask, which
     * records are late is fixed by the input's order, so the rows and late records must be exactly
     * those of the plain keyed windows, every run.
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void lateRecordsBehindOneSourceSubtaskAreTheSameAsWithoutIt(int parallelism) {
        for (WindowAssigner assigner : List.of(TumblingWindows.eventTime(Duration.ofMillis(1000)),
                SlidingWindows.eventTime(Duration.ofMillis(1000), Duration.ofMillis(400)))) {
            Run plain = runWithLateness(parallelism, assigner, false);
            assertTrue(!plain.late().isEmpty(), assigner + ": some records are late for all their windows");
            for (int run = 0; run < 3; run++) {
                Run twoPhase = runWithLateness(parallelism, assigner, true);
                assertTrue(plain.late().equals(twoPhase.late()), assigner + ", run " + run + ": "
                        + plain.late().size() + " late records without preAggregate, " + twoPhase.late().size()
                        + " with it, or other ones");
                assertEquals(plain.rows().size(), twoPhase.rows().size(), assigner + ", run " + run);
                assertTrue(plain.rows().equals(twoPhase.rows()), assigner + ", run " + run + ": the rows differ");
            }
        }
    }

    /** Runs {@code p}; the rows and late records its sinks received, sorted. */
    private static Run execute(Pipeline p, CollectSink<String> sink, CollectSink<Event> lateSink) {
        JobResult result;
        try (LocalCluster cluster = LocalCluster.start(2)) {
            result = cluster.execute(p);
        }
        List<String> rows = new ArrayList<>(sink.values());
        rows.sort(null);
        List<Event> late = new ArrayList<>(lateSink.values());
        late.sort(Comparator.comparingLong(Event::ts).thenComparingLong(Event::value));
        return new Run(rows, late, result);
    }

    /** A record 3 s behind, under 1.8 s of allowed lateness, is late for all its windows or fires one again. */
    @Test
    void allowedLatenessAndTheLateSideOutputWorkAsWithoutIt() {
        for (WindowAssigner assigner : List.of(TumblingWindows.eventTime(Duration.ofMillis(1000)),
                SlidingWindows.eventTime(Duration.ofMillis(1000), Duration.ofMillis(400)))) {
            Run plain = runWithLateness(1, assigner, false);
            Run twoPhase = runWithLateness(1, assigner, true);

            assertTrue(!plain.late().isEmpty(), assigner + ": some records are late for all their windows");
            assertTrue(plain.rows().stream().map(r -> r.substring(0, r.lastIndexOf(':'))).distinct().count()
                    < plain.rows().size(), assigner + ": some records within the allowed lateness fire again");
            assertEquals(plain.rows().size(), twoPhase.rows().size(), assigner.toString());
            assertTrue(plain.rows().equals(twoPhase.rows()), assigner + ": the rows differ");
            assertEquals(plain.late(), twoPhase.late(), assigner.toString());
            assertEquals(0, twoPhase.result().lateRecordsDropped());
        }
    }

    /** The windows over all events: {@code windowAll}, or a keyed window with one key for all. */
    private static Run runOverAll(int parallelism, WindowAssigner assigner, boolean windowAll) {
        Pipeline p = Pipeline.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        CollectSink<Event> lateSink = new CollectSink<>();
        OutputTag<Event> tag = new OutputTag<>("late");
        DataStream<Event> events = p.fromCollection(events(true), BOUNDED).setParallelism(1);
        DataStream<String> out = windowAll
                ? events.windowAll(assigner).allowedLateness(Duration.ofMillis(1800)).sideOutputLateData(tag)
                        .aggregate(Aggregates.<Event>sum(Event::value), new ProcessAllWindowFunction<Long, String>() {
                            @Override
                            public void process(ProcessWindowFunction.Context ctx, Iterable<Long> sums,
                                                Collector<String> out) {
                                out.collect("0:" + ctx.window().start() + ":" + ctx.window().end() + ":"
                                        + sums.iterator().next());
                            }
                        })
                : events.keyBy(e -> 0L).window(assigner).allowedLateness(Duration.ofMillis(1800))
                        .sideOutputLateData(tag).aggregate(Aggregates.<Event>sum(Event::value), new Format());
        out.sinkTo(sink);
        out.getSideOutput(tag).sinkTo(lateSink);
        return execute(p, sink, lateSink);
    }

    /** The same bug as above, for windows over the whole stream, which always aggregate in two phases. */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void windowAllBehindOneSourceSubtaskGivesTheRowsAndLateRecordsOfOneKeyedWindow(int parallelism) {
        for (WindowAssigner assigner : List.of(TumblingWindows.eventTime(Duration.ofMillis(1000)),
                SlidingWindows.eventTime(Duration.ofMillis(1000), Duration.ofMillis(400)))) {
            Run keyed = runOverAll(parallelism, assigner, false);
            assertTrue(!keyed.late().isEmpty(), assigner + ": some records are late for all their windows");
            for (int run = 0; run < 3; run++) {
                Run all = runOverAll(parallelism, assigner, true);
                assertTrue(keyed.late().equals(all.late()), assigner + ", run " + run + ": " + keyed.late().size()
                        + " late records with one key, " + all.late().size() + " with windowAll, or other ones");
                assertTrue(keyed.rows().equals(all.rows()), assigner + ", run " + run + ": the rows differ");
            }
        }
    }

    /**
     * Two sources of different parallelism, unioned: each gets a local step of its own parallelism.
     * (No record is late here: with several source subtasks, which records are late depends on how
     * they interleave.)
     */
    @Test
    void aUnionOfSourcesOfDifferentParallelismGivesTheRowsOfPlainKeyedWindows() {
        List<List<String>> rows = new ArrayList<>();
        for (boolean preAggregate : List.of(false, true)) {
            Pipeline p = Pipeline.create().setParallelism(3);
            List<Event> all = events(false);
            DataStream<Event> a = p.fromCollection(all.subList(0, all.size() / 2), BOUNDED).setParallelism(1);
            DataStream<Event> b = p.fromCollection(all.subList(all.size() / 2, all.size()), BOUNDED).setParallelism(2);
            CollectSink<String> sink = new CollectSink<>();
            WindowedStream<Long, Event> windows = a.union(b).keyBy(Event::key)
                    .window(SlidingWindows.eventTime(Duration.ofMillis(1000), Duration.ofMillis(400)));
            if (preAggregate) {
                windows.preAggregate();
            }
            windows.aggregate(Aggregates.<Event>sum(Event::value), new Format()).sinkTo(sink);
            Run r = execute(p, sink, new CollectSink<>());
            assertEquals(0, r.result().lateRecordsDropped());
            rows.add(r.rows());
        }
        assertEquals(rows.get(0).size(), rows.get(1).size());
        assertTrue(rows.get(0).equals(rows.get(1)), "the rows differ");
    }

    private static InvalidPipelineException rejected(Function<WindowedStream<Long, Event>, DataStream<?>> build) {
        Pipeline p = Pipeline.create();
        @SuppressWarnings("unchecked")
        DataStream<Object> out = (DataStream<Object>) build.apply(
                p.fromCollection(List.of(new Event(1, 1, 1)), BOUNDED).keyBy(Event::key)
                        .window(TumblingWindows.eventTime(Duration.ofSeconds(1))));
        out.sinkTo(new CollectSink<>());
        return assertThrows(InvalidPipelineException.class, () -> {
            try (LocalCluster cluster = LocalCluster.start(1)) {
                cluster.execute(p);
            }
        });
    }

    private static void assertMentions(InvalidPipelineException e, String problem) {
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void windowsItCannotSplitAreRejectedNamingTheOperator() {
        assertMentions(rejected(w -> w.trigger(Trigger.count(2)).preAggregate()
                .aggregate(Aggregates.<Event>count())), "preAggregate needs event-time tumbling or sliding windows");
        Consumer<String> ignored = s -> { };
        assertMentions(rejected(w -> w.preAggregate().process(new ProcessWindowFunction<Event, String, Long>() {
            @Override
            public void process(Long key, Context ctx, Iterable<Event> all, Collector<String> out) {
                ignored.accept(key.toString());
            }
        })), "preAggregate needs aggregate or reduce, not process");
    }
}
