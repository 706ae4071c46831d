package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.checkpoint.codec.CorruptSnapshotException;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Savepoints, restoring at another parallelism, and falling back from a corrupted checkpoint. */
class RescaleAndSavepointTest {
    private static final long EVENTS = 40_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void givenASavepointAtParallelism4_whenRestoredAtAnotherParallelism_thenResultsEqualTheUnscaledRun(
            int newParallelism) throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(CheckpointJobs.windowedJob(EVENTS, 20_000, 4, e -> e,
                    new ExactlyOnceFileSink<>(out)), new JobOptions(CheckpointConfig.DISABLED, store,
                    io.tidemill.local.RestartStrategy.NONE, false, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() > EVENTS / 4);
            CheckpointCoordinator.Completed sp = job.stopWithSavepoint("savepoint-1").get();
            job.join();
            assertTrue(job.recordsIn() < EVENTS, "stopped before the end");
            assertEquals("savepoint-1", sp.prefix());
            assertTrue(!CheckpointJobs.committedRows(out).isEmpty(), "the sink committed the savepoint's output");

            JobHandle resumed = cluster.submit(CheckpointJobs.windowedJob(EVENTS, 0, newParallelism, e -> e,
                    new ExactlyOnceFileSink<>(out)), JobOptions.DEFAULT.withRestoreFrom(
                    new JobOptions.SnapshotSource(store, "savepoint-1")));
            resumed.join();
        }

        assertEquals(CheckpointJobs.expectedRows(EVENTS), CheckpointJobs.committedRows(out));
    }

    @Test
    void givenACheckpointAtParallelism4_whenRestoredAt2_thenResultsEqualTheUnscaledRun() throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(CheckpointJobs.windowedJob(EVENTS, 20_000, 4, e -> e,
                    new ExactlyOnceFileSink<>(out)), JobOptions.checkpointed(
                    CheckpointConfig.every(Duration.ofMillis(50)), store));
            await().atMost(Duration.ofSeconds(10)).until(() -> job.completedCheckpoints().size() >= 3);
            job.cancel();
            assertThrows(Exception.class, job::join);

            JobHandle resumed = cluster.submit(CheckpointJobs.windowedJob(EVENTS, 0, 2, e -> e,
                    new ExactlyOnceFileSink<>(out)), JobOptions.checkpointed(
                    CheckpointConfig.every(Duration.ofMillis(50)), store));
            resumed.join();
        }

        assertEquals(CheckpointJobs.expectedRows(EVENTS), CheckpointJobs.committedRows(out));
    }

    @Test
    void givenTheLatestCheckpointIsCorrupt_whenRestoring_thenThePreviousOneIsUsed() throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(CheckpointJobs.windowedJob(EVENTS, 20_000, 2, e -> e,
                    new ExactlyOnceFileSink<>(out)), JobOptions.checkpointed(
                    CheckpointConfig.every(Duration.ofMillis(50)), store));
            await().atMost(Duration.ofSeconds(10)).until(() -> job.completedCheckpoints().size() >= 3);
            job.cancel();
            assertThrows(Exception.class, job::join);
        }
        List<Long> ids = LoadedCheckpoint.completedIds(store);
        long newest = ids.get(ids.size() - 1);
        String firstBlob = CheckpointMetadata.fromJson(store.get("chk-" + newest + "/_metadata")).tasks().get(0).blob();
        Path blob = store.root().resolve(firstBlob);
        byte[] bytes = Files.readAllBytes(blob);
        bytes[bytes.length - 1] ^= 0x5a;
        Files.write(blob, bytes);

        assertThrows(CorruptSnapshotException.class, () -> LoadedCheckpoint.load(store, "chk-" + newest));
        LoadedCheckpoint fallback = LoadedCheckpoint.latest(store);

        assertNotNull(fallback);
        assertEquals(ids.get(ids.size() - 2), fallback.metadata().checkpointId());
    }
}
