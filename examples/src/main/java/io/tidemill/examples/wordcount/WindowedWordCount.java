package io.tidemill.examples.wordcount;

import io.tidemill.api.Pipeline;
import io.tidemill.api.WindowCount;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.state.StateDescriptor;
import io.tidemill.state.ValueState;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts words per 10 seconds of event time, and says for each word and window how its count
 * changed since the word's previous window (keyed state in a keyed process function).
 */
public final class WindowedWordCount {
    /** A line of text and when it was written (milliseconds of event time). */
    public record Line(String text, long timestamp) {}

    public static void main(String[] args) throws Exception {
        run().forEach(System.out::println);
    }

    /** Runs the job on an embedded cluster; returns its rows, sorted. */
    public static List<String> run() throws Exception {
        List<Line> lines = List.of(
                new Line("the tide comes in", 1_000),
                new Line("the mill turns", 4_000),
                new Line("the tide goes out", 12_000),
                new Line("the mill stops", 13_000),
                new Line("tide mill", 15_000),
                new Line("tide", 21_000));

        Pipeline pipeline = Pipeline.create().setName("windowed-word-count").setParallelism(2);
        CollectSink<String> rows = new CollectSink<>();
        pipeline.fromCollection(lines, WatermarkStrategy.<Line>forBoundedOutOfOrderness(Duration.ofSeconds(1))
                        .withTimestampAssigner((line, previous) -> line.timestamp()))
                .flatMap((Line line, Collector<String> words) -> {
                    for (String word : line.text().split(" ")) {
                        words.collect(word);
                    }
                })
                .keyBy(word -> word)
                .window(TumblingWindows.eventTime(Duration.ofSeconds(10)))
                .count()                                    // WindowCount(key, windowStart, windowEnd, count)
                .keyBy(WindowCount::key)
                .process(new ChangeSinceLastWindow())
                .sinkTo(rows);
        try (LocalCluster cluster = LocalCluster.start()) {
            cluster.execute(pipeline);
        }
        List<String> sorted = new ArrayList<>(rows.values());
        sorted.sort(null);
        return sorted;
    }

    /** Per word, remembers its last window's count and emits "word [start s, end s): count (change)". */
    static final class ChangeSinceLastWindow extends KeyedProcessFunction<String, WindowCount<String>, String> {
        private ValueState<Long> previous;

        @Override
        public void open(RuntimeContext ctx) {
            previous = ctx.state(StateDescriptor.value("previous-count"));
        }

        @Override
        public void processElement(WindowCount<String> c, Context<String> ctx, Collector<String> out) {
            Long before = previous.value();
            String change = before == null ? "new" : String.format("%+d", c.count() - before);
            out.collect(String.format("%s [%ds, %ds): %d (%s)", c.key(), c.windowStart() / 1000,
                    c.windowEnd() / 1000, c.count(), change));
            previous.update(c.count());
        }
    }
}
