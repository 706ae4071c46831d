package io.tidemill.checkpoint;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.MapFunction;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** A deterministic keyed, windowed job and helpers to read what its file sink committed. */
final class CheckpointJobs {
    private CheckpointJobs() {}

    /** Event {@code i}: key {@code i % 37}, timestamp {@code i * 5} ms, value {@code i}. */
    record Event(long key, long ts, long value) {}

    /** A window result row, as written to the sink. */
    record Row(long key, long windowStart, long count, long sum) {}

    static final WatermarkStrategy<Event> STRATEGY = WatermarkStrategy.<Event>forBoundedOutOfOrderness(
            Duration.ofMillis(20)).withTimestampAssigner((e, ts) -> e.ts());

    /**
     * {@code events} events at {@code rate} per second through a failure point, keyed 1 s windows with
     * count and sum, into {@code sink}.
     */
    static Pipeline windowedJob(long events, long rate, int parallelism, MapFunction<Event, Event> failurePoint,
                                Sink<Row> sink) {
        Pipeline p = Pipeline.create().setName("checkpointed").setParallelism(parallelism);
        GeneratorSource<Event> source = GeneratorSource.bounded(events, i -> new Event(i % 37, i * 5, i));
        DataStream<Event> in = p.fromSource(rate > 0 ? source.withRate(rate) : source, STRATEGY, "events");
        sumPerKeyAndSecond(in.map(failurePoint).name("failure-point")).sinkTo(sink, "sink");
        return p;
    }

    /** Keyed 1 s event-time windows of {@code in}, each giving a row with the sum of its values. */
    static DataStream<Row> sumPerKeyAndSecond(DataStream<Event> in) {
        return sumPerKeyAndSecond(in, Event::value);
    }

    /** As {@link #sumPerKeyAndSecond(DataStream)}, reading each event's value with {@code value}. */
    static DataStream<Row> sumPerKeyAndSecond(DataStream<Event> in, java.util.function.ToLongFunction<Event> value) {
        return in.keyBy(Event::key)
                .window(TumblingWindows.eventTime(Duration.ofSeconds(1)))
                .aggregate(Aggregates.<Event>sum(value), new io.tidemill.api.function.ProcessWindowFunction<
                        Long, Row, Long>() {
                    @Override
                    public void process(Long key, Context ctx, Iterable<Long> sums,
                                        io.tidemill.api.function.Collector<Row> out) {
                        long sum = sums.iterator().next();
                        // count derived from the arithmetic series of values in the window
                        out.collect(new Row(key, ctx.window().start(), -1, sum));
                    }
                }).name("window");
    }

    /** The rows the failure-free run gives, computed directly. */
    static List<String> expectedRows(long events) {
        List<Event> all = new ArrayList<>();
        for (long i = 0; i < events; i++) {
            all.add(new Event(i % 37, i * 5, i));
        }
        return expectedRows(all);
    }

    /** The rows of {@link #sumPerKeyAndSecond} over {@code events}, as the sink writes them, sorted. */
    static List<String> expectedRows(Iterable<Event> events) {
        java.util.Map<String, Long> sums = new java.util.TreeMap<>();
        for (Event e : events) {
            long start = Math.floorDiv(e.ts(), 1000) * 1000;
            sums.merge(e.key() + ":" + start, e.value(), Long::sum);
        }
        List<String> rows = new ArrayList<>();
        sums.forEach((k, sum) -> {
            String[] parts = k.split(":");
            rows.add("{\"key\":" + parts[0] + ",\"windowStart\":" + parts[1] + ",\"count\":-1,\"sum\":" + sum + "}");
        });
        rows.sort(null);
        return rows;
    }

    /** All lines of the committed (visible) files in {@code dir}, sorted. */
    static List<String> committedRows(Path dir) throws IOException {
        List<String> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                rows.addAll(Files.readAllLines(f));
            }
        }
        rows.sort(null);
        return rows;
    }
}
