package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An unaligned checkpoint taken under backpressure holds the records queued before the barrier in
 * the keyed channels ({@code in:} sections). Restored at any parallelism, those records are replayed
 * to the operator they were queued for, also when that operator is now chained to its producer (at
 * parallelism 1 the keyed edge is chained and has no channels), and the output equals an
 * uninterrupted run's.
 */
class UnalignedRescaleTest {
    // Enough that no source subtask can finish by filling its channels (32 batches of 256 each) before a checkpoint
    private static final long EVENTS = 120_000;
    /** While set, the window takes about 0.1 ms per record, so its input channels stay full. */
    private static volatile boolean slow;

    @TempDir
    Path dir;

    private static Pipeline job(int parallelism, Path out) {
        Pipeline p = Pipeline.create().setName("unaligned-rescale").setParallelism(parallelism);
        CheckpointJobs.sumPerKeyAndSecond(p.fromSource(GeneratorSource.bounded(EVENTS,
                                i -> new CheckpointJobs.Event(i % 37, i * 5, i)), CheckpointJobs.STRATEGY, "events"),
                        e -> {
                            if (slow) {
                                LockSupport.parkNanos(100_000);
                            }
                            return e.value();
                        })
                .sinkTo(new ExactlyOnceFileSink<>(out), "sink");
        return p;
    }

    private static JobOptions unaligned(FileSnapshotStore store) {
        return JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(100))
                .withMode(CheckpointConfig.Mode.UNALIGNED).withTimeout(Duration.ofSeconds(5)), store);
    }

    /** A completed checkpoint of {@code job} whose snapshot holds in-flight records, if any yet. */
    private static Optional<String> checkpointWithInFlightRecords(JobHandle job, FileSnapshotStore store)
            throws IOException {
        for (CheckpointCoordinator.Completed c : job.completedCheckpoints()) {
            if (holdsInFlightRecords(LoadedCheckpoint.load(store, c.prefix()))) {
                return Optional.of(c.prefix());
            }
        }
        return Optional.empty();
    }

    static boolean holdsInFlightRecords(LoadedCheckpoint checkpoint) {
        return checkpoint.operators().keySet().stream()
                .anyMatch(id -> id.startsWith("in:") && checkpoint.hasState(id));
    }

    @ParameterizedTest(name = "taken at {0}, restored at {1}")
    @CsvSource({"2,1", "2,2", "2,3", "2,4", "4,1", "4,3"})
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void givenAnUnalignedCheckpointWithInFlightRecords_whenRestoredAtAnyParallelism_thenTheOutputEqualsAnUninterruptedRun(
            int takenAt, int restoredAt) throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            slow = true;
            String checkpoint;
            try {
                JobHandle job = cluster.submit(job(takenAt, out), unaligned(store));
                checkpoint = await().atMost(Duration.ofSeconds(20))
                        .until(() -> checkpointWithInFlightRecords(job, store), Optional::isPresent).get();
                job.cancel();
                assertThrows(Exception.class, job::join);
            } finally {
                slow = false;
            }

            JobHandle resumed = cluster.submit(job(restoredAt, out), unaligned(store)
                    .withRestoreFrom(new JobOptions.SnapshotSource(store, checkpoint)));
            resumed.join();
        }

        assertEquals(CheckpointJobs.expectedRows(EVENTS), CheckpointJobs.committedRows(out));
    }
}
