package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.JobResult;
import io.tidemill.api.OutputTag;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessAllWindowFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Non-keyed windows aggregated in parallel (a local step per subtask, then a merge): every record
 * counts toward its windows' single result, at any parallelism, as a plain loop computes it.
 */
class WindowAllTest {
    /** A value with its event time. */
    record Event(long ts, long value) {}

    private static final WatermarkStrategy<Event> BOUNDED = WatermarkStrategy.<Event>forBoundedOutOfOrderness(
            Duration.ofMillis(400)).withTimestampAssigner((e, ts) -> e.ts());

    /** Timestamps {@code 3 i} plus up to 399 ms of disorder: within the bound, so nothing is late. */
    private static List<Event> disordered(int n, long seed) {
        Random r = new Random(seed);
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(new Event(3L * i + r.nextInt(400), i));
        }
        return events;
    }

    /** {@code start:end:sum} of every window with records, by a plain loop over the windows of each event. */
    private static List<String> expected(List<Event> events, WindowAssigner assigner) {
        Map<String, Long> sums = new TreeMap<>();
        for (Event e : events) {
            assigner.assignWindows(e.ts(), (start, end) -> sums.merge(start + ":" + end, e.value(), Long::sum));
        }
        List<String> rows = new ArrayList<>();
        sums.forEach((w, sum) -> rows.add(w + ":" + sum));
        rows.sort(null);
        return rows;
    }

    /** The window's sum as {@code start:end:sum}. */
    static final class Format extends ProcessAllWindowFunction<Long, String> {
        @Override
        public void process(ProcessWindowFunction.Context ctx, Iterable<Long> sums, Collector<String> out) {
            out.collect(ctx.window().start() + ":" + ctx.window().end() + ":" + sums.iterator().next());
        }
    }

    private record Run(List<String> rows, List<Event> late, JobResult result) {}

    private static Run run(List<Event> events, int parallelism,
                           Function<DataStream<Event>, DataStream<String>> windows) {
        Pipeline p = Pipeline.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        windows.apply(p.fromCollection(events, BOUNDED)).sinkTo(sink);
        return execute(p, sink, new CollectSink<>());
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void tumblingWindowsOverTheWholeStreamEqualAPlainLoop(int parallelism) {
        List<Event> events = disordered(20_000, 1);
        TumblingWindows windows = TumblingWindows.eventTime(Duration.ofMillis(1000));

        Run run = run(events, parallelism, s -> s.windowAll(windows)
                .aggregate(Aggregates.<Event>sum(Event::value), new Format()));

        assertEquals(expected(events, windows), run.rows());
        assertEquals(0, run.result().lateRecordsDropped());
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void slidingWindowsWhoseSizeIsNoMultipleOfTheSlideEqualAPlainLoop(int parallelism) {
        List<Event> events = disordered(20_000, 2);
        SlidingWindows windows = SlidingWindows.eventTime(Duration.ofMillis(1000), Duration.ofMillis(400));

        Run run = run(events, parallelism, s -> s.windowAll(windows)
                .aggregate(Aggregates.<Event>sum(Event::value), new Format()));

        assertEquals(expected(events, windows), run.rows());
    }

    @Test
    void lateRecordsAreJudgedAsAKeyedWindowJudgesThem() {
        // every 50th record is 3 s behind: later than the 400 ms bound allows, so late for some or all
        // of its windows
        List<Event> events = new ArrayList<>(disordered(10_000, 3));
        for (int i = 0; i < events.size(); i += 50) {
            Event e = events.get(i);
            events.set(i, new Event(Math.max(0, e.ts() - 3_000), e.value()));
        }
        SlidingWindows windows = SlidingWindows.eventTime(Duration.ofMillis(2000), Duration.ofMillis(1000));

        Run all = run(events, 1, s -> s.windowAll(windows)
                .aggregate(Aggregates.<Event>sum(Event::value), new Format()));
        Run keyed = run(events, 1, s -> s.keyBy(e -> 0L).window(windows)
                .aggregate(Aggregates.<Event>sum(Event::value), new ProcessWindowFunction<Long, String, Long>() {
                    @Override
                    public void process(Long key, Context ctx, Iterable<Long> sums, Collector<String> out) {
                        out.collect(ctx.window().start() + ":" + ctx.window().end() + ":" + sums.iterator().next());
                    }
                }));

        assertTrue(keyed.result().lateRecordsDropped() > 0, "the input has records late for all their windows");
        assertEquals(keyed.rows(), all.rows());
        assertEquals(keyed.result().lateRecordsDropped(), all.result().lateRecordsDropped());
    }

    /** The window's sum as {@code start:end:sum}, for the same windows after {@code keyBy}. */
    static final class KeyedFormat extends ProcessWindowFunction<Long, String, Long> {
        @Override
        public void process(Long key, Context ctx, Iterable<Long> sums, Collector<String> out) {
            out.collect(ctx.window().start() + ":" + ctx.window().end() + ":" + sums.iterator().next());
        }
    }

    /** Windows with allowed lateness and a late side output, over the whole stream or after {@code keyBy}. */
    private static Run runWithLateness(List<Event> events, int parallelism, boolean keyed, WindowAssigner windows,
                                           Duration lateness) {
        Pipeline p = Pipeline.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        CollectSink<Event> lateSink = new CollectSink<>();
        OutputTag<Event> tag = new OutputTag<>("late");
        DataStream<Event> in = p.fromCollection(events, BOUNDED);
        DataStream<String> out = keyed
                ? in.keyBy(e -> 0L).window(windows).allowedLateness(lateness).sideOutputLateData(tag)
                        .aggregate(Aggregates.<Event>sum(Event::value), new KeyedFormat())
                : in.windowAll(windows).allowedLateness(lateness).sideOutputLateData(tag)
                        .aggregate(Aggregates.<Event>sum(Event::value), new Format());
        out.sinkTo(sink);
        out.getSideOutput(tag).sinkTo(lateSink);
        return execute(p, sink, lateSink);
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

    /** Every 50th record 3 s behind: later than the 400 ms bound, so late for some or all of its windows. */
    private static List<Event> withStragglers(long seed) {
        List<Event> events = new ArrayList<>(disordered(10_000, seed));
        for (int i = 0; i < events.size(); i += 50) {
            Event e = events.get(i);
            events.set(i, new Event(Math.max(0, e.ts() - 3_000), e.value()));
        }
        return events;
    }

    /**
     * Windows and an allowed lateness under which a record 3 s behind is late for all its windows if
     * its last window ended early enough and fires that window again otherwise (the watermark is about
     * 400 ms behind the newest record).
     */
    private static final Map<WindowAssigner, Duration> LATENESS = Map.of(
            TumblingWindows.eventTime(Duration.ofMillis(1000)), Duration.ofMillis(2000),
            SlidingWindows.eventTime(Duration.ofMillis(2000), Duration.ofMillis(1000)), Duration.ofMillis(1000));

    @Test
    void allowedLatenessAndTheLateSideOutputWorkAsForAKeyedWindow() {
        for (Map.Entry<WindowAssigner, Duration> w : LATENESS.entrySet()) {
            WindowAssigner windows = w.getKey();
            Duration lateness = w.getValue();
            List<Event> events = withStragglers(4);

            Run all = runWithLateness(events, 1, false, windows, lateness);
            Run keyed = runWithLateness(events, 1, true, windows, lateness);

            assertTrue(!keyed.late().isEmpty(), windows + ": some records are late for all their windows");
            assertTrue(keyed.rows().size() > expected(events, windows).size(),
                    windows + ": some records within the allowed lateness fire their windows again");
            assertEquals(keyed.rows(), all.rows(), windows.toString());
            assertEquals(keyed.late(), all.late(), windows.toString());
            assertEquals(0, all.result().lateRecordsDropped());
        }
    }

    /**
     * Nothing is lost or counted twice at any parallelism: with tumbling windows a record is either in
     * its one window's last result or in the late side output. (A record late for some of its
     * sliding windows but not all is left out of those, as after {@code keyBy}.)
     */
    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {2, 4})
    void everyRecordCountsInItsWindowsLastResultOrGoesToTheLateSideOutput(int parallelism) {
        TumblingWindows windows = TumblingWindows.eventTime(Duration.ofMillis(1000));
        List<Event> events = withStragglers(5);

        Run run = runWithLateness(events, parallelism, false, windows, LATENESS.get(windows));

        // a window's last result (sums only grow) plus its records that went to the side output
        Map<String, Long> accounted = new TreeMap<>();
        for (String row : run.rows()) {
            int cut = row.lastIndexOf(':');
            accounted.merge(row.substring(0, cut), Long.parseLong(row.substring(cut + 1)), Math::max);
        }
        for (Event e : run.late()) {
            windows.assignWindows(e.ts(), (start, end) -> accounted.merge(start + ":" + end, e.value(), Long::sum));
        }
        List<String> rows = new ArrayList<>();
        accounted.forEach((window, sum) -> rows.add(window + ":" + sum));
        rows.sort(null);
        assertTrue(!run.late().isEmpty(), "some records are late for their window");
        assertTrue(run.rows().size() > rows.size(), "some records within the allowed lateness fire their window again");
        assertEquals(expected(events, windows), rows);
        assertEquals(0, run.result().lateRecordsDropped());
    }

    @Test
    void aUidOnTheResultAlsoNamesTheLocalStepInSnapshots() {
        Pipeline p = Pipeline.create();
        p.fromCollection(List.of(new Event(1, 1)), BOUNDED)
                .windowAll(TumblingWindows.eventTime(Duration.ofSeconds(1)))
                .aggregate(Aggregates.<Event>sum(Event::value)).uid("total")
                .sinkTo(new CollectSink<>());

        List<String> ids = p.graph().nodes().stream().filter(n -> n.name().startsWith("windowAll"))
                .map(io.tidemill.task.TaskBuilder::operatorId).sorted().toList();
        assertEquals(List.of("u:total", "u:total/local"), ids);
    }

    /** The window's records summed as {@code start:end:sum}. */
    static final class SumAll extends ProcessAllWindowFunction<Event, String> {
        @Override
        public void process(ProcessWindowFunction.Context ctx, Iterable<Event> events, Collector<String> out) {
            long sum = 0;
            for (Event e : events) {
                sum += e.value();
            }
            out.collect(ctx.window().start() + ":" + ctx.window().end() + ":" + sum);
        }
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    @Timeout(60)
    void processSeesAllRecordsOfEachWindow(int parallelism) {
        // Flink's windowAll(..).process(ProcessAllWindowFunction): one call per window with all its records.
        List<Event> events = disordered(5_000, 5);
        SlidingWindows windows = SlidingWindows.eventTime(Duration.ofMillis(1000), Duration.ofMillis(500));

        Run run = run(events, parallelism, s -> s.windowAll(windows).process(new SumAll()));

        assertEquals(expected(events, windows), run.rows());
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    @Timeout(60)
    void reduceFoldsEachWindowToOneRecord(int parallelism) {
        // Flink's windowAll(..).reduce(ReduceFunction, ProcessAllWindowFunction): the function sees the one reduced record.
        List<Event> events = disordered(5_000, 6);
        TumblingWindows windows = TumblingWindows.eventTime(Duration.ofMillis(1000));

        Run run = run(events, parallelism, s -> s.windowAll(windows)
                .reduce((a, b) -> new Event(Math.max(a.ts(), b.ts()), a.value() + b.value()), new SumAll()));

        assertEquals(expected(events, windows), run.rows());
    }

    @Test
    @Timeout(60)
    void applyHandsAllRecordsOfEachWindowToAnAllWindowFunction() {
        // Flink's windowAll(..).apply(AllWindowFunction).
        List<Event> events = disordered(5_000, 7);
        TumblingWindows windows = TumblingWindows.eventTime(Duration.ofMillis(1000));

        Run run = run(events, 2, s -> s.windowAll(windows).apply((window, values, out) -> {
            long sum = 0;
            for (Event e : values) {
                sum += e.value();
            }
            out.collect(window.start() + ":" + window.end() + ":" + sum);
        }));

        assertEquals(expected(events, windows), run.rows());
    }

    @Test
    @Timeout(60)
    void sessionWindowsOverTheWholeStreamMergeAcrossSubtasks() {
        // Flink runs windowAll with any assigner; here sessions of the whole stream, at parallelism 2.
        List<Event> events = List.of(new Event(0, 1), new Event(500, 2), new Event(1400, 4), new Event(3000, 8));

        Run run = run(events, 2, s -> s.windowAll(SessionWindows.eventTime(Duration.ofSeconds(1)))
                .aggregate(Aggregates.<Event>sum(Event::value), new Format()));

        assertEquals(List.of("0:2400:7", "3000:4000:8"), run.rows());
    }

    @Test
    @Timeout(60)
    void aCountTriggerOnGlobalWindowsOfTheWholeStreamFiresEveryNRecords() {
        // Flink's countWindowAll(n): GlobalWindows with PurgingTrigger.of(CountTrigger.of(n)).
        List<Event> events = disordered(100, 8);

        Run run = run(events, 2, s -> s.windowAll(GlobalWindows.create())
                .trigger(PurgingTrigger.of(CountTrigger.of(10)))
                .aggregate(Aggregates.<Event>count(), new ProcessAllWindowFunction<Long, String>() {
                    @Override
                    public void process(ProcessWindowFunction.Context ctx, Iterable<Long> counts, Collector<String> out) {
                        out.collect("count " + counts.iterator().next());
                    }
                }));

        assertEquals(java.util.Collections.nCopies(10, "count 10"), run.rows());
    }
}
