package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
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
import io.tidemill.window.SlidingWindows;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The local step of a non-keyed window keeps its panes across a savepoint and a change of parallelism. */
class WindowAllRescaleTest {
    private static final long EVENTS = 40_000;

    @TempDir
    Path dir;

    /** The window's sum and bounds. */
    public record Sum(long start, long end, long sum) {}

    static final class ToSum extends ProcessAllWindowFunction<Long, Sum> {
        @Override
        public void process(ProcessWindowFunction.Context ctx, Iterable<Long> sums, Collector<Sum> out) {
            out.collect(new Sum(ctx.window().start(), ctx.window().end(), sums.iterator().next()));
        }
    }

    private static Pipeline job(long rate, int parallelism, Path out) {
        Pipeline p = Pipeline.create().setName("window-all").setParallelism(parallelism);
        GeneratorSource<CheckpointJobs.Event> source = GeneratorSource.bounded(EVENTS,
                i -> new CheckpointJobs.Event(i % 37, i * 5, i));
        p.fromSource(rate > 0 ? source.withRate(rate) : source, CheckpointJobs.STRATEGY, "events")
                .windowAll(SlidingWindows.eventTime(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .aggregate(Aggregates.<CheckpointJobs.Event>sum(CheckpointJobs.Event::value), new ToSum())
                .sinkTo(new ExactlyOnceFileSink<>(out), "sink");
        return p;
    }

    private static List<String> expected() {
        Map<Long, Long> sums = new TreeMap<>();
        for (long i = 0; i < EVENTS; i++) {
            long ts = i * 5;
            long last = Math.floorDiv(ts, 1000) * 1000;
            for (long start = last; start > ts - 2000; start -= 1000) {
                sums.merge(start, i, Long::sum);
            }
        }
        List<String> rows = new ArrayList<>();
        sums.forEach((start, sum) -> rows.add("{\"start\":" + start + ",\"end\":" + (start + 2000) + ",\"sum\":" + sum
                + "}"));
        rows.sort(null);
        return rows;
    }

    @ParameterizedTest(name = "restored at parallelism {0}")
    @ValueSource(ints = {1, 3})
    void givenASavepointAtParallelism2_whenRestoredAtAnother_thenEveryWindowIsWhole(int newParallelism)
            throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(job(20_000, 2, out), new JobOptions(CheckpointConfig.DISABLED, store,
                    RestartStrategy.NONE, false, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() > EVENTS / 4);
            job.stopWithSavepoint("sp").get();
            job.join();
            assertTrue(job.recordsIn() < EVENTS, "stopped before the end");

            cluster.submit(job(0, newParallelism, out), JobOptions.DEFAULT.withRestoreFrom(
                    new JobOptions.SnapshotSource(store, "sp"))).join();
        }
        assertEquals(expected(), CheckpointJobs.committedRows(out));
    }
}
