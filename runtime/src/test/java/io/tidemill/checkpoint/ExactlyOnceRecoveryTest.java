package io.tidemill.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.function.MapFunction;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failure injection: a user function throws at random points several times; with restarts from the
 * latest checkpoint, the exactly-once file sink ends up with exactly the failure-free rows.
 */
class ExactlyOnceRecoveryTest {
    private static final long EVENTS = 60_000;
    /**
     * A record fails with probability 1/ONE_IN until the failures are used up: the chance that a run
     * of EVENTS records sees none (and so tests no recovery) is e^-20. At 1/8000 it was e^-7.5, which
     * over hundreds of runs did happen once.
     */
    private static final int ONE_IN = 3_000;

    @TempDir
    Path dir;

    /** Throws at random records until {@code failures} failures have happened. */
    static MapFunction<CheckpointJobs.Event, CheckpointJobs.Event> failing(AtomicInteger failures, int oneIn) {
        return e -> {
            if (failures.get() > 0 && ThreadLocalRandom.current().nextInt(oneIn) == 0
                    && failures.getAndDecrement() > 0) {
                throw new IllegalStateException("injected failure at event " + e.value());
            }
            return e;
        };
    }

    private JobOptions options(CheckpointConfig.Mode mode) throws Exception {
        return JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(40)).withMode(mode),
                        new FileSnapshotStore(dir.resolve("state")))
                .withRestart(RestartStrategy.fixedDelay(20, Duration.ofMillis(20)));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 4})
    void givenRandomFailures_whenTheJobRestartsFromCheckpoints_thenTheSinkHoldsEveryRowExactlyOnce(int parallelism)
            throws Exception {
        runWithFailures(parallelism, CheckpointConfig.Mode.EXACTLY_ONCE);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void givenRandomFailuresWithUnalignedCheckpoints_thenTheSinkHoldsEveryRowExactlyOnce(int parallelism)
            throws Exception {
        runWithFailures(parallelism, CheckpointConfig.Mode.UNALIGNED);
    }

    private void runWithFailures(int parallelism, CheckpointConfig.Mode mode) throws Exception {
        AtomicInteger failures = new AtomicInteger(4);
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(CheckpointJobs.windowedJob(EVENTS, 60_000, parallelism,
                    failing(failures, ONE_IN), new ExactlyOnceFileSink<>(out)), options(mode));
            job.join();
            assertTrue(job.restarts() >= 1, "the job restarted, restarts=" + job.restarts());
            assertTrue(job.completedCheckpoints().size() >= 2, "checkpoints completed");
        }

        assertEquals(CheckpointJobs.expectedRows(EVENTS), CheckpointJobs.committedRows(out));
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 4})
    void givenRandomFailuresAtLeastOnce_thenNoRowIsLost(int parallelism) throws Exception {
        AtomicInteger failures = new AtomicInteger(3);
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(CheckpointJobs.windowedJob(EVENTS, 60_000, parallelism,
                    failing(failures, ONE_IN), new ExactlyOnceFileSink<>(out)), options(CheckpointConfig.Mode.AT_LEAST_ONCE));
            job.join();
            assertTrue(job.restarts() >= 1);
        }

        // Replayed records may be counted twice in a window (values are positive, so sums only grow);
        // a lost record would make some window's sum smaller or the window missing.
        Map<String, Long> got = sums(CheckpointJobs.committedRows(out));
        for (Map.Entry<String, Long> e : sums(CheckpointJobs.expectedRows(EVENTS)).entrySet()) {
            assertTrue(got.getOrDefault(e.getKey(), 0L) >= e.getValue(), "lost records of window " + e.getKey());
        }
    }

    /** (key, windowStart) to the largest sum written for it. */
    private static Map<String, Long> sums(List<String> rows) {
        Map<String, Long> m = new HashMap<>();
        for (String r : rows) {
            String window = r.substring(0, r.indexOf(",\"count\""));
            long sum = Long.parseLong(r.substring(r.indexOf("\"sum\":") + 6, r.length() - 1));
            m.merge(window, sum, Math::max);
        }
        return m;
    }

}
