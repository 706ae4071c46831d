package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.JobResult;
import io.tidemill.api.OutputTag;
import io.tidemill.api.Pipeline;
import io.tidemill.api.WindowedStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.LongAggregateFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.testing.Event;
import io.tidemill.testing.OneByOneSource;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Event-time window semantics, one story per row: events {@code key@ts} in arrival order, and the
 * rows the window emits ({@code key [start,end) count}, plus {@code late key@ts} for records sent to
 * the late side output).
 *
 * <p>Every story runs from a source (at parallelism 1) that emits one record per read, with a
 * zero out-of-orderness bound: after each record the watermark is {@code max ts so far - 1}. So a
 * window {@code [start,end)} fires as soon as a record with {@code ts >= end} has been read, and a
 * record is late when the watermark already reached its window's end - 1 (plus allowed lateness).
 * {@code time@ts} records only advance the watermark; they are filtered out before the window.
 */
class WindowSemanticsTest {

    static Stream<Arguments> stories() {
        return Stream.of(
                // ---- tumbling ----
                story("tumbling: each key counts its own window",
                        tumbling(10), "a@1 b@2 a@3",
                        "a [0,10) 2", "b [0,10) 1"),
                story("tumbling: a timestamp equal to a window's end belongs to the next window",
                        tumbling(10), "a@0 a@9 a@10 a@19 a@20",
                        "a [0,10) 2", "a [10,20) 2", "a [20,30) 1"),
                story("tumbling: out-of-order records before the watermark passes the window are counted",
                        tumbling(10), "a@8 a@2 b@9 a@5 a@1",
                        "a [0,10) 4", "b [0,10) 1"),
                story("tumbling: watermark end-2 keeps the window open for a record at end-1",
                        tumbling(10), "a@5 time@9 a@9",
                        "a [0,10) 2"),
                story("tumbling: watermark end-1 fires the window, a record at end-1 after it is dropped",
                        tumbling(10), "a@5 time@10 a@9",
                        "a [0,10) 1"),
                story("tumbling: late records are dropped without allowed lateness",
                        tumbling(10), "a@1 a@25 a@3 b@4",
                        "a [0,10) 1", "a [20,30) 1"),
                story("tumbling: a late record within allowed lateness re-fires the full result, later ones are dropped",
                        tumbling(10).withLateness(10), "a@1 a@2 time@12 a@3 time@30 a@4",
                        "a [0,10) 2", "a [0,10) 3"),
                story("tumbling: records late for all windows go to the late side output",
                        tumbling(10).withLateSideOutput(), "a@1 a@25 a@3 b@4",
                        "a [0,10) 1", "a [20,30) 1", "late a@3", "late b@4"),
                story("tumbling: with lateness, only records beyond it go to the late side output",
                        tumbling(10).withLateness(10).withLateSideOutput(), "a@1 time@15 a@2 time@20 a@3",
                        "a [0,10) 1", "a [0,10) 2", "late a@3"),
                story("tumbling: count trigger fires every 2 records and keeps the window's content",
                        tumbling(10).withTrigger(Trigger.count(2)), "a@1 a@2 a@3 a@4 a@5 b@1",
                        "a [0,10) 2", "a [0,10) 4"),
                // ---- sliding ----
                story("sliding: a record belongs to size/slide windows",
                        sliding(10, 5), "a@7",
                        "a [0,10) 1", "a [5,15) 1"),
                story("sliding: window boundaries, ts == start of a window is in it",
                        sliding(10, 5), "a@0 a@4 a@5 a@12",
                        "a [-5,5) 2", "a [0,10) 3", "a [5,15) 2", "a [10,20) 1"),
                story("sliding: out-of-order records are counted in every open window",
                        sliding(10, 5), "a@9 a@5 a@7",
                        "a [0,10) 3", "a [5,15) 3"),
                story("sliding: a record late for its older window still counts in the newer one, and is not late data",
                        sliding(10, 5).withLateSideOutput(), "a@1 time@10 a@7",
                        "a [-5,5) 1", "a [0,10) 1", "a [5,15) 1"),
                story("sliding: a record late for all its windows is late data",
                        sliding(10, 5).withLateSideOutput(), "a@1 time@15 a@7",
                        "a [-5,5) 1", "a [0,10) 1", "late a@7"),
                story("sliding: size not a multiple of slide, records of one slide interval fall in different windows",
                        sliding(10, 4), "a@1 a@2 a@3",
                        "a [-8,2) 1", "a [-4,6) 3", "a [0,10) 3"),
                story("sliding: after one of a pane's windows fires, later records of the pane count in the others",
                        sliding(10, 5), "a@6 time@10 a@7 b@8",
                        "a [0,10) 1", "a [5,15) 2", "b [5,15) 1"),
                story("sliding: late record within allowed lateness re-fires each of its windows",
                        sliding(10, 5).withLateness(20), "a@6 time@20 a@7",
                        "a [0,10) 1", "a [5,15) 1", "a [0,10) 2", "a [5,15) 2"),
                // ---- session ----
                story("session: records within the gap form one session",
                        session(10), "a@0 a@5 a@14",
                        "a [0,24) 3"),
                story("session: records exactly the gap apart touch and merge, more than the gap apart do not",
                        session(10), "a@0 a@10 a@21",
                        "a [0,20) 2", "a [21,31) 1"),
                story("session: keys have separate sessions",
                        session(10), "a@0 b@5 a@8",
                        "a [0,18) 2", "b [5,15) 1"),
                story("session: an out-of-order record joins the open session",
                        session(10), "a@5 a@0 a@12",
                        "a [0,22) 3"),
                story("session: a late record bridging two fired sessions is dropped without allowed lateness",
                        session(10), "a@0 a@20 time@40 a@10",
                        "a [0,10) 1", "a [20,30) 1"),
                story("session: a late record within lateness bridging two fired sessions fires the merged session",
                        session(10).withLateness(100), "a@0 a@20 time@40 a@10",
                        "a [0,10) 1", "a [20,30) 1", "a [0,30) 3"),
                story("session: a late record within lateness extending a fired session re-fires it",
                        session(10).withLateness(100), "a@0 time@40 a@5",
                        "a [0,10) 1", "a [0,15) 2"),
                story("session: a late record within lateness that touches no session is a session of its own",
                        session(10).withLateness(100), "a@0 time@40 a@25",
                        "a [0,10) 1", "a [25,35) 1"),
                // Flink's CountTrigger fires at count >= n and clears; merged counts add up (issue 14, bug 1)
                story("session: a count trigger fires a merged session whose count jumps past its count",
                        session(10).withLateness(100).withTrigger(Trigger.count(4)), "a@0 a@1 a@2 a@13 a@14 a@15 a@11",
                        "a [0,25) 7"),
                story("session: a late record beyond lateness goes to the late side output",
                        session(10).withLateness(5).withLateSideOutput(), "a@0 time@40 a@10",
                        "a [0,10) 1", "late a@10"));
    }

    /**
     * Every story at parallelism 1, 2 and 4 (the source stays at 1, so a window subtask sees one
     * input and the story stays deterministic; from 2 on, records cross a real keyed exchange), and
     * with the default trigger also on the general window operator.
     */
    static Stream<Arguments> storiesEverywhere() {
        return stories().flatMap(a -> {
            Object[] args = a.get();
            @SuppressWarnings("unchecked")
            Named<Windowing> story = (Named<Windowing>) args[0];
            Windowing w = story.getPayload();
            List<Arguments> all = new ArrayList<>();
            for (int parallelism : new int[] {1, 2, 4}) {
                all.add(Arguments.of(Named.of(story.getName() + " (p" + parallelism + ")", w), args[1], args[2],
                        parallelism));
                if (w.trigger() == null && w.lateness() == 0 && !w.assigner().isMerging()) {
                    all.add(Arguments.of(Named.of(story.getName() + " (p" + parallelism + ", general operator)",
                            w.withTrigger(GENERAL)), args[1], args[2], parallelism));
                }
            }
            return all.stream();
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storiesEverywhere")
    void windowEmits(Windowing windowing, String input, List<String> expected, int parallelism) {
        // given the story's windowing and input; when
        List<String> got = runJob(windowing, Event.parse(input), parallelism).rows();

        // then (in any order: windows due at the same watermark fire in no particular order)
        assertEquals(sorted(expected), sorted(got), "input: " + input);
    }

    /** The default event-time trigger through another instance: runs on the general window operator. */
    private static final Trigger GENERAL = new Trigger() {
        @Override
        public Result onElement(long timestamp, TimeWindow window, Context ctx) {
            return Trigger.eventTime().onElement(timestamp, window, ctx);
        }

        @Override
        public Result onEventTime(long time, TimeWindow window, Context ctx) {
            return Trigger.eventTime().onEventTime(time, window, ctx);
        }

        @Override
        public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
            return Trigger.eventTime().onProcessingTime(time, window, ctx);
        }
    };

    @Test
    void lateRecordsDroppedWithoutSideOutputAreCountedInTheJobResult() {
        // given two records late for their only window, and no late side output
        List<Event> input = Event.parse("a@1 a@25 a@3 b@4");

        // when
        Outcome outcome = runJob(tumbling(10), input);

        // then
        assertEquals(2, outcome.result().lateRecordsDropped());
    }

    @Test
    void lateRecordsSentToTheSideOutputAreNotCountedAsDropped() {
        // given
        List<Event> input = Event.parse("a@1 a@25 a@3 b@4");

        // when
        Outcome outcome = runJob(tumbling(10).withLateSideOutput(), input);

        // then
        assertEquals(0, outcome.result().lateRecordsDropped());
    }

    @Test
    void aLongAggregateFunctionKeepsItsAccumulatorUnboxedAndGivesItsResult() {
        // given the latest timestamp per key and sliding window, as a user-written long aggregate
        LongAggregateFunction<Event, String> latest = new LongAggregateFunction<>() {
            @Override
            public long initial() {
                return Long.MIN_VALUE;
            }

            @Override
            public long add(Event value, long acc) {
                return Math.max(acc, value.ts());
            }

            @Override
            public long merge(long a, long b) {
                return Math.max(a, b);
            }

            @Override
            public String result(long acc) {
                return "latest " + acc;
            }
        };
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        CollectSink<String> sink = new CollectSink<>();
        pipeline.fromSource(new OneByOneSource<>(Event.parse("a@3 b@4 a@1 a@7 time@12 a@11")),
                        WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ZERO)
                                .withTimestampAssigner((e, ts) -> e.ts()), "events")
                .filter(e -> !e.isTimeMarker())
                .keyBy(Event::key)
                .window(SlidingWindows.eventTime(Duration.ofMillis(10), Duration.ofMillis(5)))
                .aggregate(latest)
                .sinkTo(sink);

        // when
        try (LocalCluster cluster = LocalCluster.start(1)) {
            cluster.execute(pipeline);
        }

        // then: a [-5,5) 3, b [-5,5) 4, a [0,10) 7, b [0,10) 4, a [5,15) 11, a [10,20) 11
        assertEquals(sorted(List.of("latest 3", "latest 4", "latest 7", "latest 4", "latest 11", "latest 11")),
                sorted(sink.values()));
    }

    // ---- harness ----

    private record Outcome(List<String> rows, JobResult result) {}

    private static Outcome runJob(Windowing windowing, List<Event> input) {
        return runJob(windowing, input, 1);
    }

    /**
     * Runs the story with the window at {@code parallelism}; every row passes a step that checks its
     * timestamp (a window's result at the window's last timestamp, a late record at its own) and
     * turns a wrong one into a row no story expects.
     */
    private static Outcome runJob(Windowing windowing, List<Event> input, int parallelism) {
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        OutputTag<Event> late = new OutputTag<>("late");
        WindowedStream<String, Event> windowed = pipeline
                .fromSource(new OneByOneSource<>(input), WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ZERO)
                        .withTimestampAssigner((e, ts) -> e.ts()), "events").setParallelism(1)
                .filter(e -> !e.isTimeMarker()).setParallelism(1)
                .keyBy(Event::key)
                .window(windowing.assigner());
        if (windowing.lateness() > 0) {
            windowed.allowedLateness(Duration.ofMillis(windowing.lateness()));
        }
        if (windowing.trigger() != null) {
            windowed.trigger(windowing.trigger());
        }
        if (windowing.lateSideOutput()) {
            windowed.sideOutputLateData(late);
        }
        DataStream<String> rows = windowed.aggregate(Aggregates.count(), new Row());
        rows.keyBy(r -> r).process(new CheckTimestamp()).sinkTo(sink);
        if (windowing.lateSideOutput()) {
            rows.getSideOutput(late).map(e -> "late " + e).keyBy(r -> r).process(new CheckTimestamp()).sinkTo(sink);
        }
        JobResult result;
        try (LocalCluster cluster = LocalCluster.start(1)) {
            result = cluster.execute(pipeline);
        }
        return new Outcome(sink.values(), result);
    }

    /** Formats a window's result as {@code key [start,end) count}. */
    private static final class Row extends ProcessWindowFunction<Long, String, String> {
        @Override
        public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
            for (long c : counts) {
                out.collect(key + " [" + ctx.window().start() + "," + ctx.window().end() + ") " + c);
            }
        }
    }

    /** Passes rows on whose timestamp is right: a window's last timestamp, or a late record's own. */
    private static final class CheckTimestamp extends KeyedProcessFunction<String, String, String> {
        @Override
        public void processElement(String row, Context<String> ctx, Collector<String> out) {
            long expected = row.startsWith("late ") ? Long.parseLong(row.substring(row.indexOf('@') + 1))
                    : Long.parseLong(row.substring(row.indexOf(',') + 1, row.indexOf(')'))) - 1;
            out.collect(ctx.timestamp() == expected ? row : row + " has timestamp " + ctx.timestamp()
                    + " instead of " + expected);
        }
    }

    /** How a story windows its events. */
    record Windowing(WindowAssigner assigner, long lateness, Trigger trigger, boolean lateSideOutput) {
        Windowing withLateness(long millis) {
            return new Windowing(assigner, millis, trigger, lateSideOutput);
        }

        Windowing withTrigger(Trigger t) {
            return new Windowing(assigner, lateness, t, lateSideOutput);
        }

        Windowing withLateSideOutput() {
            return new Windowing(assigner, lateness, trigger, true);
        }
    }

    private static Windowing tumbling(long size) {
        return new Windowing(TumblingWindows.eventTime(Duration.ofMillis(size)), 0, null, false);
    }

    private static Windowing sliding(long size, long slide) {
        return new Windowing(SlidingWindows.eventTime(Duration.ofMillis(size), Duration.ofMillis(slide)), 0, null,
                false);
    }

    private static Windowing session(long gap) {
        return new Windowing(SessionWindows.eventTime(Duration.ofMillis(gap)), 0, null, false);
    }

    private static Arguments story(String name, Windowing windowing, String input, String... expected) {
        return Arguments.of(Named.of(name, windowing), input, List.of(expected));
    }

    private static List<String> sorted(List<String> rows) {
        List<String> s = new ArrayList<>(rows);
        s.sort(null);
        return s;
    }
}
