package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.AggregateFunction;
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
import org.junit.jupiter.params.provider.CsvSource;

/** The local step of a non-keyed window keeps its panes across a savepoint and a change of parallelism. */
class WindowAllRescaleTest {
    /** 20 s of input at the rate of the first run, which is stopped after half a second: it never reaches the end. */
    private static final long EVENTS = 400_000;

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

    /** A sum whose accumulator is an object, as any aggregate not written as a LongAggregateFunction. */
    static AggregateFunction<CheckpointJobs.Event, long[], Long> boxedSum() {
        return new AggregateFunction<>() {
            @Override
            public long[] createAccumulator() {
                return new long[1];
            }

            @Override
            public long[] add(CheckpointJobs.Event value, long[] acc) {
                acc[0] += value.value();
                return acc;
            }

            @Override
            public Long getResult(long[] acc) {
                return acc[0];
            }

            @Override
            public long[] merge(long[] a, long[] b) {
                a[0] += b[0];
                return a;
            }
        };
    }

    private static Pipeline job(long rate, int parallelism, Path out, boolean unboxed) {
        Pipeline p = Pipeline.create().setName("window-all").setParallelism(parallelism);
        GeneratorSource<CheckpointJobs.Event> source = GeneratorSource.bounded(EVENTS,
                i -> new CheckpointJobs.Event(i % 37, i * 5, i));
        p.fromSource(rate > 0 ? source.withRate(rate) : source, CheckpointJobs.STRATEGY, "events")
                .windowAll(SlidingWindows.eventTime(Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .aggregate(unboxed ? Aggregates.<CheckpointJobs.Event>sum(CheckpointJobs.Event::value) : boxedSum(),
                        new ToSum())
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

    @ParameterizedTest(name = "restored at parallelism {0}, unboxed accumulators {1}")
    @CsvSource({"1, true", "3, true", "3, false"})
    void givenASavepointAtParallelism2_whenRestoredAtAnother_thenEveryWindowIsWhole(int newParallelism,
                                                                                 boolean unboxed)
            throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(job(20_000, 2, out, unboxed), new JobOptions(CheckpointConfig.DISABLED, store,
                    RestartStrategy.NONE, false, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() > 10_000);
            job.stopWithSavepoint("sp").get();
            job.join();
            assertTrue(job.recordsIn() < EVENTS, "stopped before the end");

            cluster.submit(job(0, newParallelism, out, unboxed), JobOptions.DEFAULT.withRestoreFrom(
                    new JobOptions.SnapshotSource(store, "sp"))).join();
        }
        assertEquals(expected(), CheckpointJobs.committedRows(out));
    }
}
