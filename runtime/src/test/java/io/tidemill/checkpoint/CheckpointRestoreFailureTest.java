package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.local.JobFailedException;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A restart whose checkpoints cannot be restored: an I/O error or corruption of every completed
 * checkpoint fails the job and leaves the committed output as it was, instead of a fresh start whose
 * sink recovery deletes it; discarding the state on purpose starts from scratch.
 */
@Timeout(60)
class CheckpointRestoreFailureTest {
    private static final long EVENTS = 40_000;

    @TempDir
    Path dir;
    private FileSnapshotStore store;
    private Path out;

    /** A run cancelled after three completed checkpoints: committed parts in {@code out}. */
    @BeforeEach
    void cancelledRun() throws Exception {
        store = new FileSnapshotStore(dir.resolve("state"));
        out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(job(20_000), options());
            await().atMost(Duration.ofSeconds(20)).until(() -> job.completedCheckpoints().size() >= 3);
            job.cancel();
            assertThrows(Exception.class, job::join);
        }
        assertTrue(!CheckpointJobs.committedRows(out).isEmpty(), "the cancelled run committed output");
    }

    @Test
    void givenTheNewestCheckpointCannotBeRead_whenTheJobStarts_thenItFailsNamingThePathAndTheOutputIsUntouched()
            throws Exception {
        List<Long> ids = LoadedCheckpoint.completedIds(store);
        Path blob = firstBlobOf(ids.get(ids.size() - 1));
        // A directory where the blob was: reading it is a real I/O error (EISDIR), even as root.
        Files.delete(blob);
        Files.createDirectory(blob);
        Map<String, String> before = files(out);

        JobFailedException e = assertThrows(JobFailedException.class, this::rerun);

        assertTrue(e.getMessage().contains(blob.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Is a directory"), e.getMessage());
        assertEquals(before, files(out));
    }

    @Test
    void givenEveryCompletedCheckpointIsCorrupt_whenTheJobStarts_thenItFailsNamingEachAndTheOutputIsUntouched()
            throws Exception {
        List<Long> ids = LoadedCheckpoint.completedIds(store);
        corruptAll(ids);
        Map<String, String> before = files(out);

        JobFailedException e = assertThrows(JobFailedException.class, this::rerun);

        for (long id : ids) {
            assertTrue(e.getMessage().contains("chk-" + id + " (chk-" + id + "/t0-" + id + ": checksum mismatch)"),
                    e.getMessage());
        }
        assertEquals(before, files(out));
    }

    @Test
    void givenEveryCompletedCheckpointIsCorrupt_whenTheStateIsDiscarded_thenTheJobStartsFresh() throws Exception {
        corruptAll(LoadedCheckpoint.completedIds(store));

        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.submit(job(0), options().withRestoreLatest(false)).join();
        }

        assertEquals(CheckpointJobs.expectedRows(EVENTS), CheckpointJobs.committedRows(out));
    }

    private void rerun() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.submit(job(0), options()).join();
        }
    }

    private io.tidemill.api.Pipeline job(long rate) {
        return CheckpointJobs.windowedJob(EVENTS, rate, 2, e -> e, new ExactlyOnceFileSink<>(out));
    }

    private JobOptions options() {
        return JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(50)), store);
    }

    /** The file of the first task's blob of checkpoint {@code id}, as its metadata names it. */
    private Path firstBlobOf(long id) throws IOException {
        CheckpointMetadata meta = CheckpointMetadata.fromJson(store.get("chk-" + id + "/_metadata"));
        return store.root().resolve(meta.tasks().get(0).blob());
    }

    private void corruptAll(List<Long> ids) throws IOException {
        for (long id : ids) {
            Path blob = firstBlobOf(id);
            byte[] bytes = Files.readAllBytes(blob);
            bytes[bytes.length - 1] ^= 0x5a;
            Files.write(blob, bytes);
        }
    }

    /** Every file in {@code d}, hidden ones too, with its content. */
    private static Map<String, String> files(Path d) throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path f : s.toList()) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return files;
    }
}
