package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.Pipeline;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Processing-time windows on a bounded input: the input ends long before the windows' end on the
 * wall clock, and every window still open then fires once with what it holds.
 *
 * <p>The windows are a century long (epoch-aligned, so the current one ends in 2070) so that a test
 * run never straddles a window boundary and the rows do not depend on when the test runs.
 */
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
}
