package io.tidemill.local;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.OutputTag;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessJoinFunction;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.graph.InvalidPipelineException;
import io.tidemill.state.StateDescriptor;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.SessionWindows;
import io.tidemill.window.SlidingWindows;
import io.tidemill.window.Trigger;
import io.tidemill.window.TumblingWindows;
import io.tidemill.window.WindowAssigner;
import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad pipelines are rejected when submitted, naming the operator at fault; failures while running
 * fail the job naming the operator, the subtask and the cause, and leave no worker threads behind.
 */
class PipelineErrorsTest {
    private static final List<Long> NUMBERS = LongStream.range(0, 100).boxed().toList();

    static Stream<Arguments> invalidWindows() {
        return Stream.of(
                invalid("tumbling window of size 0", TumblingWindows.eventTime(Duration.ZERO), "window size must be positive"),
                invalid("tumbling window of negative size", TumblingWindows.eventTime(Duration.ofMillis(-5)),
                        "window size must be positive"),
                invalid("sliding window of size 0", SlidingWindows.eventTime(Duration.ZERO, Duration.ZERO),
                        "window size must be positive"),
                invalid("sliding window with slide 0", SlidingWindows.eventTime(Duration.ofMillis(10), Duration.ZERO),
                        "window slide must be positive"),
                invalid("sliding window with slide larger than size",
                        SlidingWindows.eventTime(Duration.ofMillis(10), Duration.ofMillis(20)),
                        "slide (20 ms) must not be larger than its size (10 ms)"),
                invalid("session window with gap 0", SessionWindows.eventTime(Duration.ZERO),
                        "session gap must be positive"),
                invalid("session window with negative gap", SessionWindows.processingTime(Duration.ofMillis(-1)),
                        "session gap must be positive"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidWindows")
    void invalidWindowIsRejectedAtSubmitNamingTheOperator(WindowAssigner assigner, String problem) {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        numbers(pipeline).keyBy(v -> v % 2).window(assigner).aggregate(Aggregates.count()).name("counts")
                .sinkTo(new CollectSink<>());

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertContains(e.getMessage(), "operator 'counts'");
        assertContains(e.getMessage(), problem);
    }

    @Test
    void negativeAllowedLatenessIsRejectedAtSubmitNamingTheOperator() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        numbers(pipeline).keyBy(v -> v % 2).window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .allowedLateness(Duration.ofMillis(-1)).aggregate(Aggregates.count()).name("counts")
                .sinkTo(new CollectSink<>());

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertContains(e.getMessage(), "operator 'counts'");
        assertContains(e.getMessage(), "allowed lateness must not be negative");
    }

    @Test
    void eventTimeWindowOnAStreamWithoutTimestampsIsRejectedAtSubmit() {
        // given a collection without a watermark strategy, windowed in event time
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        pipeline.fromCollection(NUMBERS).keyBy(v -> v % 2).window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .aggregate(Aggregates.count()).name("counts").sinkTo(new CollectSink<>());

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertContains(e.getMessage(), "window 'counts' uses event time but its input has no WatermarkStrategy");
        assertContains(e.getMessage(), "assignTimestampsAndWatermarks(...)");
    }

    @Test
    void eventTimeWindowAfterAssignTimestampsOrInProcessingTimeIsAccepted() {
        // given the same stream with timestamps assigned downstream, and a processing-time window on it
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        CollectSink<Long> eventTime = new CollectSink<>();
        DataStream<Long> raw = pipeline.fromCollection(NUMBERS);
        raw.assignTimestampsAndWatermarks(WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((v, ts) -> v))
                .keyBy(v -> 0L).window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .aggregate(Aggregates.count()).sinkTo(eventTime);
        raw.keyBy(v -> 0L).window(TumblingWindows.processingTime(Duration.ofSeconds(10)))
                .aggregate(Aggregates.count()).sinkTo(new CollectSink<>());

        // when
        try (LocalCluster cluster = LocalCluster.start(1)) {
            cluster.execute(pipeline);
        }

        // then: ten windows of ten numbers
        assertEquals(List.of(10L, 10L, 10L, 10L, 10L, 10L, 10L, 10L, 10L, 10L), eventTime.values());
    }

    @Test
    void windowAllAndIntervalJoinWithoutTimestampsAreRejectedAtSubmit() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        pipeline.fromCollection(NUMBERS).windowAll(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .aggregate(Aggregates.count()).name("all-counts").sinkTo(new CollectSink<>());
        pipeline.fromCollection(NUMBERS).keyBy(v -> v % 2).intervalJoin(numbers(pipeline).keyBy(v -> v % 2))
                .between(Duration.ofMillis(-1), Duration.ofMillis(1))
                .process(new ProcessJoinFunction<Long, Long, String>() {
                    @Override
                    public void processElement(Long left, Long right, Context ctx, Collector<String> out) {
                        out.collect(left + "-" + right);
                    }
                }).name("pairs").sinkTo(new CollectSink<>());

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertContains(e.getMessage(), "window 'all-counts' uses event time");
        assertContains(e.getMessage(), "interval join 'pairs' uses event time");
    }

    @Test
    void intervalJoinWithLowerBoundAboveUpperBoundIsRejectedAtSubmitNamingTheOperator() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        numbers(pipeline).keyBy(v -> v % 2).intervalJoin(numbers(pipeline).keyBy(v -> v % 2))
                .between(Duration.ofMillis(5), Duration.ofMillis(1))
                .process(new ProcessJoinFunction<Long, Long, String>() {
                    @Override
                    public void processElement(Long left, Long right, Context ctx, Collector<String> out) {
                        out.collect(left + "-" + right);
                    }
                }).name("pairs").sinkTo(new CollectSink<>());

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertContains(e.getMessage(), "operator 'pairs'");
        assertContains(e.getMessage(), "lower bound (5 ms) must not exceed upper bound (1 ms)");
    }

    @Test
    void operatorParallelismZeroIsRejectedAtSubmitNamingTheOperator() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        numbers(pipeline).map(v -> v).name("identity").setParallelism(0).sinkTo(new CollectSink<>());

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertContains(e.getMessage(), "operator 'identity'");
        assertContains(e.getMessage(), "parallelism must be positive");
    }

    @Test
    void duplicateOrMalformedUidsAreRejectedAtSubmitNamingTheOperators() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        numbers(pipeline).map(v -> v).name("first").uid("same").map(v -> v).name("second").uid("same")
                .map(v -> v).name("third").uid("has space").sinkTo(new CollectSink<>());

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertContains(e.getMessage(), "operator 'second': uid 'same' is already the uid of operator 'first'");
        assertContains(e.getMessage(), "operator 'third': uid must be letters, digits");
    }

    static Stream<Arguments> badArguments() {
        return Stream.of(
                bad("pipeline parallelism 0", () -> Pipeline.create().setParallelism(0), "parallelism must be positive"),
                bad("max parallelism 0", () -> Pipeline.create().setMaxParallelism(0), "maxParallelism must be in"),
                bad("count trigger of 0", () -> Trigger.count(0), "positive count"),
                bad("early firing interval 0", () -> Trigger.withEarlyFirings(Duration.ZERO), "must be positive"),
                bad("negative out-of-orderness", () -> WatermarkStrategy.forBoundedOutOfOrderness(Duration.ofMillis(-1)),
                        "must not be negative"),
                bad("idleness 0", () -> WatermarkStrategy.forMonotonousTimestamps().withIdleness(Duration.ZERO),
                        "idleness timeout must be positive"),
                bad("blank side output id", () -> new OutputTag<Long>(" "), "must not be blank"),
                bad("blank state name", () -> StateDescriptor.value(""), "must not be blank"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badArguments")
    void badArgumentIsRejectedWhereItIsGiven(Executable call, String problem) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertContains(e.getMessage(), problem);
    }

    @Test
    void pipelineWithoutSinkIsRejectedAtSubmit() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        numbers(pipeline).map(v -> v + 1).name("increment");

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertContains(e.getMessage(), "the pipeline has no sink");
    }

    @Test
    void operatorWhoseOutputIsNeverConsumedIsRejectedAtSubmitNamingIt() {
        // given a branch ending in a sink, and a second branch ending nowhere
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        DataStream<Long> numbers = numbers(pipeline);
        numbers.sinkTo(new CollectSink<>());
        numbers.map(v -> v * 2).name("doubled");

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertContains(e.getMessage(), "operator 'doubled'");
        assertContains(e.getMessage(), "never consumed");
        assertEquals(1, e.errors().size(), e.errors().toString());
    }

    @Test
    void everyProblemOfAPipelineIsReportedAtOnce() {
        // given two invalid windows
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        DataStream<Long> numbers = numbers(pipeline);
        numbers.keyBy(v -> v).window(TumblingWindows.eventTime(Duration.ZERO)).aggregate(Aggregates.count())
                .name("first").sinkTo(new CollectSink<>());
        numbers.keyBy(v -> v).window(SessionWindows.eventTime(Duration.ZERO)).aggregate(Aggregates.count())
                .name("second").sinkTo(new CollectSink<>());

        // when, then
        InvalidPipelineException e = assertRejected(pipeline);
        assertEquals(2, e.errors().size(), e.errors().toString());
        assertContains(e.getMessage(), "operator 'first'");
        assertContains(e.getMessage(), "operator 'second'");
    }

    @Test
    void keySelectorReturningNullFailsTheJobNamingTheOperatorAndNull() {
        // given a key selector returning null for one record
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        numbers(pipeline).keyBy(v -> v == 42 ? null : v % 2)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10))).aggregate(Aggregates.count())
                .name("counts").sinkTo(new CollectSink<>());

        // when, then
        JobFailedException e = assertFails(pipeline);
        assertContains(e.getMessage(), "'counts'");
        assertContains(e.getMessage(), "null");
        assertContains(e.getMessage(), "42");
    }

    @Test
    void throwingMapFunctionFailsTheJobNamingOperatorSubtaskAndCause() {
        // given a map that throws on record 75; the source splits 0..99 in halves, so subtask 1 reads it
        Pipeline pipeline = Pipeline.create().setParallelism(2);
        numbers(pipeline).map(v -> {
            if (v == 75) {
                throw new IllegalStateException("cannot parse record 75");
            }
            return v;
        }).name("parse").sinkTo(new CollectSink<>());

        // when, then
        JobFailedException e = assertFails(pipeline);
        assertContains(e.getMessage(), "operator 'parse'");
        assertContains(e.getMessage(), "subtask 1 of 2");
        assertContains(e.getMessage(), "IllegalStateException: cannot parse record 75");
        assertTrue(rootCause(e) instanceof IllegalStateException, "cause: " + rootCause(e));
    }

    @Test
    void failingJobLeavesTheClusterUsableForTheNextJob() {
        // given a cluster on which a job failed
        try (LocalCluster cluster = LocalCluster.start(2)) {
            Pipeline failing = Pipeline.create().setParallelism(2);
            numbers(failing).map(v -> 1 / (v - v)).name("divide").sinkTo(new CollectSink<>());
            assertThrows(JobFailedException.class, () -> cluster.execute(failing));

            // when another job runs on it
            Pipeline ok = Pipeline.create().setParallelism(2);
            CollectSink<Long> sink = new CollectSink<>();
            numbers(ok).sinkTo(sink);
            cluster.execute(ok);

            // then
            assertEquals(NUMBERS.size(), sink.size());
        }
    }

    @Test
    void noWorkerThreadIsLeftAfterAFailedJobAndClose() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(2);
        numbers(pipeline).map(v -> {
            throw new IllegalStateException("boom");
        }).name("explode").sinkTo(new CollectSink<>());

        // when
        assertFails(pipeline);

        // then
        await().atMost(Duration.ofSeconds(10)).until(() -> workerThreads().isEmpty());
    }

    // ---- helpers ----

    private static DataStream<Long> numbers(Pipeline pipeline) {
        return pipeline.fromCollection(NUMBERS, WatermarkStrategy.<Long>forMonotonousTimestamps()
                .withTimestampAssigner((v, ts) -> v));
    }

    private static InvalidPipelineException assertRejected(Pipeline pipeline) {
        try (LocalCluster cluster = LocalCluster.start(1)) {
            return assertThrows(InvalidPipelineException.class, () -> cluster.submit(pipeline));
        }
    }

    private static JobFailedException assertFails(Pipeline pipeline) {
        try (LocalCluster cluster = LocalCluster.start(2)) {
            return assertThrows(JobFailedException.class, () -> cluster.execute(pipeline));
        }
    }

    private static List<String> workerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .filter(n -> n.startsWith("tidemill-worker"))
                .toList();
    }

    private static Throwable rootCause(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static void assertContains(String message, String part) {
        assertTrue(message.contains(part), () -> "expected '" + part + "' in: " + message);
    }

    private static Arguments bad(String name, Executable call, String problem) {
        return Arguments.of(Named.of(name, call), problem);
    }

    private static Arguments invalid(String name, WindowAssigner assigner, String problem) {
        return Arguments.of(Named.of(name, assigner), problem);
    }

}
