package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import io.tidemill.testing.ControlledStore;
import io.tidemill.watermark.WatermarkStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob of a failed attempt that is written after the next attempt started must not end up in, or
 * overwrite, any checkpoint of the next attempt.
 */
@Timeout(60)
class CheckpointIdsAcrossAttemptsTest {
    @TempDir
    Path dir;

    @Test
    void givenABlobOfAFailedAttemptWrittenLate_whenTheNextAttemptCheckpoints_thenNoCheckpointTakesIt()
            throws Exception {
        ControlledStore store = new ControlledStore(new FileSnapshotStore(dir));
        AtomicBoolean failNow = new AtomicBoolean();
        Pipeline p = Pipeline.create().setName("late-blob").setParallelism(1);
        p.fromSource(GeneratorSource.unbounded(5_000, i -> i), WatermarkStrategy.noWatermarks(), "numbers")
                .map(i -> {
                    if (failNow.compareAndSet(true, false)) {
                        throw new IllegalStateException("injected failure");
                    }
                    return i;
                })
                .sinkTo(new CollectSink<>());
        JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(50)).withRetained(100),
                store).withRestart(RestartStrategy.fixedDelay(1, Duration.ofMillis(10)));

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p, options);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> job.completedCheckpoints().size() >= 1);
                // Given: the next blob write of the first attempt is held back, and that attempt fails.
                AtomicReference<String> heldKey = new AtomicReference<>();
                store.holdWhere(op -> op.startsWith("put chk-") && !op.endsWith("/_metadata")
                        && heldKey.compareAndSet(null, op.substring(4)));
                await().atMost(Duration.ofSeconds(10)).until(() -> store.waiting() == 1);
                failNow.set(true);
                int before = job.completedCheckpoints().size();
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> job.restarts() == 1 && job.completedCheckpoints().size() > before);

                // When: the held blob lands after the second attempt completed a checkpoint.
                store.release();
                await().atMost(Duration.ofSeconds(10)).until(() -> store.waiting() == 0);

                // Then: its checkpoint completed in no attempt, it was deleted, and every completed
                // checkpoint's blobs were written once (never overwritten).
                String lateBlob = heldKey.get();
                long lateId = Long.parseLong(lateBlob.substring(4, lateBlob.indexOf('/')));
                List<Long> completedIds = job.completedCheckpoints().stream()
                        .map(CheckpointCoordinator.Completed::id).toList();
                assertFalse(completedIds.contains(lateId),
                        "checkpoint " + lateId + " of the failed attempt was completed by the next: " + completedIds);
                await().atMost(Duration.ofSeconds(10)).until(() -> store.list("chk-" + lateId + "/").isEmpty());
                for (long id : LoadedCheckpoint.completedIds(store)) {
                    CheckpointMetadata meta = LoadedCheckpoint.load(store, "chk-" + id).metadata();
                    for (CheckpointMetadata.TaskState t : meta.tasks()) {
                        assertEquals(1, store.putsOf(t.blob()), t.blob() + " was written more than once");
                    }
                }
                assertNotNull(LoadedCheckpoint.latest(store));
            } finally {
                store.release();
                job.cancel();
            }
        }
    }
}
