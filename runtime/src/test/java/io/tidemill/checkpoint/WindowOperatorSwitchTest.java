package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessAllWindowFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A savepoint restores into the same window with allowed lateness added or removed, which moves its
 * state between the aligned window operator (no lateness) and the general one: every window fires
 * exactly once. Without care, windows that fired and were kept for lateness fired again, and windows
 * still open whose records had all arrived never fired.
 */
class WindowOperatorSwitchTest {
    private static final long EVENTS = 40_000;
    /** More than a window: at any savepoint some open windows have had all their (in-order) records. */
    private static final WatermarkStrategy<CheckpointJobs.Event> LAGGING =
            WatermarkStrategy.<CheckpointJobs.Event>forBoundedOutOfOrderness(Duration.ofMillis(1500))
                    .withTimestampAssigner((e, ts) -> e.ts());

    @TempDir
    Path dir;

    /** A window's sum, by key (-1 over the whole stream). */
    public record Sum(long key, long start, long sum) {}

    private static Pipeline job(long rate, boolean keyed, long latenessMs, Path out) {
        Pipeline p = Pipeline.create().setName("switch").setParallelism(2);
        GeneratorSource<CheckpointJobs.Event> source = GeneratorSource.bounded(EVENTS,
                i -> new CheckpointJobs.Event(i % 37, i * 5, i));
        DataStream<CheckpointJobs.Event> in = p.fromSource(rate > 0 ? source.withRate(rate) : source, LAGGING, "events");
        TumblingWindows windows = TumblingWindows.eventTime(Duration.ofSeconds(1));
        Duration lateness = Duration.ofMillis(latenessMs);
        DataStream<Sum> sums = keyed
                ? in.keyBy(CheckpointJobs.Event::key).window(windows).allowedLateness(lateness)
                        .aggregate(Aggregates.<CheckpointJobs.Event>sum(CheckpointJobs.Event::value),
                                new ProcessWindowFunction<Long, Sum, Long>() {
                                    @Override
                                    public void process(Long key, Context ctx, Iterable<Long> s, Collector<Sum> o) {
                                        o.collect(new Sum(key, ctx.window().start(), s.iterator().next()));
                                    }
                                })
                : in.windowAll(windows).allowedLateness(lateness)
                        .aggregate(Aggregates.<CheckpointJobs.Event>sum(CheckpointJobs.Event::value),
                                new ProcessAllWindowFunction<Long, Sum>() {
                                    @Override
                                    public void process(ProcessWindowFunction.Context ctx, Iterable<Long> s,
                                                        Collector<Sum> o) {
                                        o.collect(new Sum(-1, ctx.window().start(), s.iterator().next()));
                                    }
                                });
        sums.uid("sums").sinkTo(new ExactlyOnceFileSink<>(out), "sink").uid("output");
        return p;
    }

    private static List<String> expected(boolean keyed) {
        Map<String, Long> sums = new TreeMap<>();
        for (long i = 0; i < EVENTS; i++) {
            long start = Math.floorDiv(i * 5, 1000) * 1000;
            sums.merge((keyed ? i % 37 : -1) + ":" + start, i, Long::sum);
        }
        List<String> rows = new ArrayList<>();
        sums.forEach((k, sum) -> {
            String[] parts = k.split(":");
            rows.add("{\"key\":" + parts[0] + ",\"start\":" + parts[1] + ",\"sum\":" + sum + "}");
        });
        rows.sort(null);
        return rows;
    }

    @ParameterizedTest(name = "keyed {0}: lateness {1} ms, then {2} ms")
    @CsvSource({"true, 0, 10000", "true, 10000, 0", "false, 0, 10000", "false, 10000, 0"})
    void givenASavepoint_whenAllowedLatenessIsAddedOrRemoved_thenEveryWindowFiresOnce(boolean keyed, long before,
                                                                                    long after) throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(job(20_000, keyed, before, out), new JobOptions(CheckpointConfig.DISABLED,
                    store, RestartStrategy.NONE, false, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() > EVENTS / 4);
            job.stopWithSavepoint("sp").get();
            job.join();
            assertTrue(job.recordsIn() < EVENTS, "stopped before the end");

            cluster.submit(job(0, keyed, after, out), JobOptions.DEFAULT.withRestoreFrom(
                    new JobOptions.SnapshotSource(store, "sp"))).join();
        }
        List<String> missing = new ArrayList<>(expected(keyed));
        List<String> committed = CheckpointJobs.committedRows(out);
        List<String> extra = new ArrayList<>(committed);
        for (String row : expected(keyed)) {
            extra.remove(row);
        }
        for (String row : committed) {
            missing.remove(row);
        }
        assertTrue(missing.isEmpty(), missing.size() + " windows never fired, e.g. " + first(missing));
        assertTrue(extra.isEmpty(), extra.size() + " rows too many (windows fired twice?), e.g. " + first(extra));
        assertEquals(expected(keyed), committed);
    }

    private static List<String> first(List<String> rows) {
        return rows.subList(0, Math.min(3, rows.size()));
    }
}
