package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
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
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Timestamps near the ends of the long range do not wrap window arithmetic around: a record none
 * of whose windows fits in a long goes to the late side output, and the other windows are right.
 */
@Timeout(60)
class WindowTimestampOverflowTest {
    private static final List<Long> INPUT = List.of(1L, 2L, 15L, Long.MAX_VALUE, Long.MAX_VALUE - 3, Long.MIN_VALUE + 2);
    private static final List<Long> UNREPRESENTABLE = List.of(Long.MAX_VALUE, Long.MAX_VALUE - 3, Long.MIN_VALUE + 2);

    static Stream<Arguments> windows() {
        Duration ten = Duration.ofMillis(10);
        return Stream.of(
                Arguments.of("tumbling (aligned operator)", TumblingWindows.eventTime(ten), Duration.ZERO,
                        List.of("[0,10)=2", "[10,20)=1")),
                Arguments.of("tumbling with lateness (general operator)", TumblingWindows.eventTime(ten),
                        Duration.ofMillis(5), List.of("[0,10)=2", "[10,20)=1")),
                Arguments.of("sliding", SlidingWindows.eventTime(ten, Duration.ofMillis(5)), Duration.ZERO,
                        List.of("[-5,5)=2", "[0,10)=2", "[10,20)=1", "[15,25)=1")),
                Arguments.of("session", SessionWindows.eventTime(ten), Duration.ZERO,
                        List.of("[1,12)=2", "[15,25)=1")));
    }

    @ParameterizedTest(name = "{0}, parallelism {4}")
    @MethodSource("windowsAtParallelism")
    void keyedWindowsSendUnrepresentableRecordsToTheLateOutput(String name, WindowAssigner assigner, Duration lateness,
                                                              List<String> expected, int parallelism) {
        OutputTag<Long> late = new OutputTag<>("late");
        CollectSink<String> results = new CollectSink<>();
        CollectSink<Long> lateRecords = new CollectSink<>();
        Pipeline p = Pipeline.create().setParallelism(parallelism);
        DataStream<String> windows = source(p).keyBy(v -> 0L).window(assigner).allowedLateness(lateness)
                .sideOutputLateData(late)
                .aggregate(Aggregates.count(), new ProcessWindowFunction<Long, String, Long>() {
                    @Override
                    public void process(Long key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                        out.collect("[" + ctx.window().start() + "," + ctx.window().end() + ")=" + counts.iterator().next());
                    }
                });
        windows.sinkTo(results);
        windows.getSideOutput(late).sinkTo(lateRecords);

        run(p);

        assertEquals(sorted(expected, s -> s), sorted(results.values(), s -> s));
        assertEquals(sorted(UNREPRESENTABLE, v -> v), sorted(lateRecords.values(), v -> v));
    }

    static Stream<Arguments> windowsAtParallelism() {
        return windows().flatMap(a -> Stream.of(1, 2).map(p -> {
            Object[] args = a.get();
            return Arguments.of(args[0], args[1], args[2], args[3], p);
        }));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @MethodSource("parallelisms")
    void windowAllSendsUnrepresentableRecordsToTheLateOutput(int parallelism) {
        OutputTag<Long> late = new OutputTag<>("late");
        CollectSink<String> results = new CollectSink<>();
        CollectSink<Long> lateRecords = new CollectSink<>();
        Pipeline p = Pipeline.create().setParallelism(parallelism);
        DataStream<String> windows = source(p).windowAll(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .sideOutputLateData(late)
                .aggregate(Aggregates.count(), new ProcessAllWindowFunction<Long, String>() {
                    @Override
                    public void process(ProcessWindowFunction.Context ctx, Iterable<Long> counts, Collector<String> out) {
                        out.collect("[" + ctx.window().start() + "," + ctx.window().end() + ")=" + counts.iterator().next());
                    }
                });
        windows.sinkTo(results);
        windows.getSideOutput(late).sinkTo(lateRecords);

        run(p);

        assertEquals(List.of("[0,10)=2", "[10,20)=1"), sorted(results.values(), s -> s));
        assertEquals(sorted(UNREPRESENTABLE, v -> v), sorted(lateRecords.values(), v -> v));
    }

    static Stream<Integer> parallelisms() {
        return Stream.of(1, 2);
    }

    private static DataStream<Long> source(Pipeline p) {
        return p.fromCollection(INPUT, WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ofMillis(100))
                .withTimestampAssigner((v, ts) -> v));
    }

    private static void run(Pipeline p) {
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(p);
        }
    }

    private static <T, C extends Comparable<C>> List<T> sorted(List<T> values, Function<T, C> by) {
        List<T> copy = new ArrayList<>(values);
        copy.sort((a, b) -> by.apply(a).compareTo(by.apply(b)));
        return copy;
    }
}
