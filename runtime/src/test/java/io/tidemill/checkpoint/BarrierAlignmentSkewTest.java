package io.tidemill.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.MapFunction;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.CheckpointJobs.Event;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Aligned barriers between two very different inputs: a fast source 20 times the rate of a slow one
 * and ten minutes ahead of it in event time (so the windows of the fast one pile up in state until
 * the slow one's watermark catches up). Barriers still align and checkpoints complete while both
 * run, and a failure in the middle is recovered exactly once.
 */
class BarrierAlignmentSkewTest {
    private static final long FAST_EVENTS = 40_000;
    private static final long FAST_RATE = 26_000;
    private static final long FAST_AHEAD_MILLIS = 600_000;
    private static final long SLOW_EVENTS = 2_000;
    private static final long SLOW_RATE = 1_300;
    /** Values of the slow source start here, so a row's sum tells which input it came from. */
    private static final long SLOW_VALUES = 1_000_000;

    @TempDir
    Path dir;

    private static Event fast(long i) {
        return new Event(i % 37, FAST_AHEAD_MILLIS + i * 3, i);
    }

    private static Event slow(long j) {
        return new Event(j % 37, j * 20, SLOW_VALUES + j);
    }

    /** Both sources unioned through {@code failurePoint} into keyed 1 s window sums, into {@code out}. */
    private static Pipeline skewedJob(MapFunction<Event, Event> failurePoint, Path out) {
        Pipeline p = Pipeline.create().setName("skewed").setParallelism(2);
        DataStream<Event> fast = p.fromSource(GeneratorSource.bounded(FAST_EVENTS, BarrierAlignmentSkewTest::fast)
                .withRate(FAST_RATE), CheckpointJobs.STRATEGY, "fast");
        DataStream<Event> slow = p.fromSource(GeneratorSource.bounded(SLOW_EVENTS, BarrierAlignmentSkewTest::slow)
                .withRate(SLOW_RATE), CheckpointJobs.STRATEGY, "slow");
        CheckpointJobs.sumPerKeyAndSecond(fast.union(slow).map(failurePoint).name("failure-point"))
                .sinkTo(new ExactlyOnceFileSink<>(out), "sink");
        return p;
    }

    private static List<String> expectedRows() {
        List<Event> all = new ArrayList<>();
        for (long i = 0; i < FAST_EVENTS; i++) {
            all.add(fast(i));
        }
        for (long j = 0; j < SLOW_EVENTS; j++) {
            all.add(slow(j));
        }
        return CheckpointJobs.expectedRows(all);
    }

    @Test
    void givenSkewedInputsAndAFailureMidRun_whenAlignedCheckpointsRecover_thenTheOutputIsExactlyOnce()
            throws Exception {
        AtomicReference<JobHandle> job = new AtomicReference<>();
        AtomicInteger checkpointsBeforeFailure = new AtomicInteger(-1);
        // Fails once, two thirds into the slow input, when the fast one is far ahead of it.
        MapFunction<Event, Event> failOnce = e -> {
            if (e.value() == SLOW_VALUES + 2 * SLOW_EVENTS / 3
                    && checkpointsBeforeFailure.compareAndSet(-1, job.get().completedCheckpoints().size())) {
                throw new IllegalStateException("injected failure at slow event " + e.value());
            }
            return e;
        };
        Path out = dir.resolve("out");
        JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(50)),
                        new FileSnapshotStore(dir.resolve("state")))
                .withRestart(RestartStrategy.fixedDelay(1, Duration.ofMillis(20)));

        List<CheckpointCoordinator.Completed> completed;
        try (LocalCluster cluster = LocalCluster.start(2)) {
            job.set(cluster.submit(skewedJob(failOnce, out), options));
            job.get().join();
            completed = job.get().completedCheckpoints();
            assertEquals(1, job.get().restarts(), "the injected failure restarted the job once");
        }

        assertTrue(checkpointsBeforeFailure.get() >= 3,
                "checkpoints completed while both inputs ran before the failure: " + checkpointsBeforeFailure);
        assertTrue(completed.size() > checkpointsBeforeFailure.get(),
                "checkpoints completed after the restart too: " + completed.size());
        assertTrue(completed.stream().anyMatch(c -> c.maxAlignNanos() > 0),
                "alignment time is reported: " + completed);
        assertEquals(expectedRows(), CheckpointJobs.committedRows(out));
    }
}
