package io.tidemill.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedCoProcessFunction;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ProcessAllWindowFunction;
import io.tidemill.api.function.ProcessFunction;
import io.tidemill.api.function.ProcessJoinFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every process function can emit to side outputs with {@code ctx.output(tag, value)}, and
 * {@code getSideOutput(tag)} on its result reads them, as in Flink (side outputs are available from
 * ProcessFunction, KeyedProcessFunction, CoProcessFunction / KeyedCoProcessFunction,
 * ProcessWindowFunction, ProcessAllWindowFunction and ProcessJoinFunction). One pipeline per case, at
 * parallelism 1 and 2; the inputs are in timestamp order, so nothing is late.
 */
@Timeout(60)
class SideOutputTest {
    private static final OutputTag<String> SIDE = new OutputTag<>("side");
    private static final List<Long> NUMBERS = List.of(1L, 2L, 3L, 4L, 5L, 6L, 12L, 13L);

    /** Builds the case from the numbers (timestamp = value); returns the main stream. */
    private static List<List<String>> run(int parallelism, Function<DataStream<Long>, DataStream<String>> build) {
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        DataStream<Long> numbers = pipeline.fromCollection(NUMBERS,
                WatermarkStrategy.<Long>forMonotonousTimestamps().withTimestampAssigner((v, t) -> v));
        DataStream<String> main = build.apply(numbers);
        CollectSink<String> mainSink = new CollectSink<>();
        CollectSink<String> sideSink = new CollectSink<>();
        main.sinkTo(mainSink);
        main.getSideOutput(SIDE).sinkTo(sideSink);
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(pipeline);
        }
        return List.of(sorted(mainSink.values()), sorted(sideSink.values()));
    }

    private static List<String> sorted(List<String> values) {
        List<String> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void processFunction(int parallelism) {
        List<List<String>> got = run(parallelism, s -> s.process(new ProcessFunction<Long, String>() {
            @Override
            public void processElement(Long v, Context ctx, Collector<String> out) {
                if (v % 2 == 0) {
                    out.collect("even " + v);
                } else {
                    ctx.output(SIDE, "odd " + v);
                }
            }
        }));
        assertEquals(List.of(List.of("even 12", "even 2", "even 4", "even 6"),
                List.of("odd 1", "odd 13", "odd 3", "odd 5")), got);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void keyedProcessFunction(int parallelism) {
        List<List<String>> got = run(parallelism, s -> s.keyBy(v -> v % 2).process(
                new KeyedProcessFunction<Long, Long, String>() {
                    @Override
                    public void processElement(Long v, Context<Long> ctx, Collector<String> out) {
                        if (v > 10) {
                            ctx.output(SIDE, "big " + v + " key " + ctx.currentKey());
                        }
                    }
                }));
        assertEquals(List.of(List.of(), List.of("big 12 key 0", "big 13 key 1")), got);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void processWindowFunction(int parallelism) {
        List<List<String>> got = run(parallelism, s -> s.keyBy(v -> v % 2)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .process(new ProcessWindowFunction<Long, String, Long>() {
                    @Override
                    public void process(Long key, Context ctx, Iterable<Long> all, Collector<String> out) {
                        long n = 0;
                        for (Long ignored : all) {
                            n++;
                        }
                        out.collect(key + "@" + ctx.window().start() + " " + n);
                        ctx.output(SIDE, "fired " + key + "@" + ctx.window().start());
                    }
                }));
        assertEquals(List.of(List.of("0@0 3", "0@10 1", "1@0 3", "1@10 1"),
                List.of("fired 0@0", "fired 0@10", "fired 1@0", "fired 1@10")), got);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void processAllWindowFunction(int parallelism) {
        List<List<String>> got = run(parallelism, s -> s.windowAll(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .aggregate(Aggregates.<Long>count(), new ProcessAllWindowFunction<Long, String>() {
                    @Override
                    public void process(ProcessWindowFunction.Context ctx, Iterable<Long> counts,
                                        Collector<String> out) {
                        long n = counts.iterator().next();
                        out.collect(ctx.window().start() + " " + n);
                        ctx.output(SIDE, "fired " + ctx.window().start());
                    }
                }));
        assertEquals(List.of(List.of("0 6", "10 2"), List.of("fired 0", "fired 10")), got);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void keyedCoProcessFunction(int parallelism) {
        List<List<String>> got = run(parallelism, s -> s.connect(s.map(v -> v * 100))
                .keyBy(v -> v % 2, v -> (v / 100) % 2)
                .process(new KeyedCoProcessFunction<Long, Long, Long, String>() {
                    @Override
                    public void processElement1(Long v, KeyedProcessFunction.Context<Long> ctx, Collector<String> out) {
                        if (v == 1) {
                            ctx.output(SIDE, "left " + v);
                        }
                    }

                    @Override
                    public void processElement2(Long v, KeyedProcessFunction.Context<Long> ctx, Collector<String> out) {
                        if (v == 1300) {
                            ctx.output(SIDE, "right " + v);
                        }
                    }
                }));
        assertEquals(List.of(List.of(), List.of("left 1", "right 1300")), got);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void processJoinFunction(int parallelism) {
        List<List<String>> got = run(parallelism, s -> s.keyBy(v -> v % 2)
                .intervalJoin(s.filter(v -> v > 10).keyBy(v -> v % 2))
                .between(Duration.ofMillis(0), Duration.ofMillis(1))
                .process(new ProcessJoinFunction<Long, Long, String>() {
                    @Override
                    public void processElement(Long l, Long r, Context ctx, Collector<String> out) {
                        out.collect(l + "-" + r);
                        ctx.output(SIDE, "pair at " + ctx.timestamp());
                    }
                }));
        assertEquals(List.of(List.of("12-12", "13-13"), List.of("pair at 12", "pair at 13")), got);
    }
}
