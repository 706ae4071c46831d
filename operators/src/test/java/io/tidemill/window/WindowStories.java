package io.tidemill.window;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.KeyedStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.WindowedStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Windows over longs keyed by {@code value % 100}, for harness stories: the window's count, or its
 * records, formatted as {@code key@[start,end)=result} ({@code key@global=result} for a global window).
 */
final class WindowStories {
    private WindowStories() {}

    static KeyedStream<Long, Long> keyed() {
        return Pipeline.create().fromCollection(List.of(0L), WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((v, ts) -> v))
                .keyBy(v -> v % 100);
    }

    static WindowedStream<Long, Long> windowed(WindowAssigner assigner) {
        return keyed().window(assigner);
    }

    static String name(Long key, TimeWindow w) {
        return key + (w.isGlobal() ? "@global" : "@[" + w.start() + "," + w.end() + ")");
    }

    /** The count of each firing. */
    static DataStream<String> counts(WindowAssigner assigner,
                                     Function<WindowedStream<Long, Long>, WindowedStream<Long, Long>> config) {
        return config.apply(windowed(assigner)).aggregate(Aggregates.count(), new ProcessWindowFunction<Long, String, Long>() {
            @Override
            public void process(Long key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                out.collect(name(key, ctx.window()) + "=" + counts.iterator().next());
            }
        });
    }

    /** The records each firing sees, in the window's order. */
    static DataStream<String> records(WindowAssigner assigner,
                                      Function<WindowedStream<Long, Long>, WindowedStream<Long, Long>> config) {
        return config.apply(windowed(assigner)).process(recordsFunction());
    }

    /** Formats the records of a window. */
    static ProcessWindowFunction<Long, String, Long> recordsFunction() {
        return new ProcessWindowFunction<>() {
            @Override
            public void process(Long key, Context ctx, Iterable<Long> records, Collector<String> out) {
                List<Long> seen = new ArrayList<>();
                records.forEach(seen::add);
                out.collect(name(key, ctx.window()) + "=" + seen);
            }
        };
    }
}
