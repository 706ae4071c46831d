package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.cluster.TidemillNode;
import io.tidemill.cluster.api.ApiException;
import io.tidemill.cluster.api.SavepointStatus;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.examples.nexmark.NexmarkJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Savepoints across nodes: a running job is rescaled through a savepoint (restored at another
 * parallelism over the nodes), then stopped with a savepoint and resubmitted from it; the
 * exactly-once output of the three runs together equals the failure-free run's.
 */
@Timeout(300)
class ClusterSavepointTest {
    private static final long EVENTS = 400_000;

    @TempDir
    Path dir;

    static SavepointStatus awaitSavepoint(TidemillNode master, String job, String trigger) {
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            SavepointStatus s = master.savepoint(job, trigger).orElseThrow();
            assertTrue(!s.status().equals("FAILED"), () -> "savepoint failed: " + s.failure());
            return s.status().equals("COMPLETED");
        });
        return kitSavepoint(master, job, trigger);
    }

    private static SavepointStatus kitSavepoint(TidemillNode master, String job, String trigger) {
        try {
            return master.savepoint(job, trigger).orElseThrow();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void rescaleThenStopWithSavepointThenResumeKeepsTheOutputExact() throws Exception {
        Path out = dir.resolve("out");
        List<String> args = List.of("--query", "q5", "--events", String.valueOf(EVENTS), "--rate", "40000",
                "--output", out.toString(), "--exactly-once");
        try (ClusterKit kit = ClusterKit.start(3, 1)) {
            TidemillNode master = kit.master();
            String job = master.submit(new SubmitRequest(NexmarkJob.class.getName(), args, 4, null, 500, null, 3,
                    100L, null));
            await().atMost(Duration.ofSeconds(60)).until(() -> master.checkpoints(job).completed() >= 1);

            // rescale 4 -> 2 through a savepoint (a source subtask without a split would end at once, and
            // a finished source stops checkpoints, so not upwards here)
            String rescale = master.rescale(job, 2);
            awaitSavepoint(master, job, rescale);
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                var d = master.job(job).orElseThrow();
                return d.status().equals("RUNNING") && d.parallelism() == 2 && !d.vertices().isEmpty()
                        && d.vertices().get(0).parallelism() == 2;
            });

            // stop with a savepoint, then a new job from it at parallelism 3
            await().atMost(Duration.ofSeconds(60)).until(() -> master.checkpoints(job).completed() >= 3);
            String stop = master.stop(job, null);
            String location = awaitSavepoint(master, job, stop).location();
            await().atMost(Duration.ofSeconds(60)).until(() -> master.job(job).orElseThrow().status()
                    .equals("FINISHED"));
            String resumed = master.submit(new SubmitRequest(NexmarkJob.class.getName(), args, 3, null, 500, null,
                    3, 100L, location));
            ClusterNexmarkTest.awaitStatus(master, resumed, "FINISHED");
        }
        List<String> want = ClusterNexmarkTest.expected(dir.resolve("expected"), "q5", EVENTS, 4);
        assertEquals(want, ClusterNexmarkTest.rows(out));
    }

    @Test
    void stopWithSavepointIntoATargetDirectoryThenResumeFromThatDirectoryKeepsTheOutputExact() throws Exception {
        Path out = dir.resolve("out");
        Path savepoints = dir.resolve("savepoints");
        List<String> args = List.of("--query", "q5", "--events", String.valueOf(EVENTS), "--rate", "40000",
                "--output", out.toString(), "--exactly-once");
        try (ClusterKit kit = ClusterKit.start(2, 1)) {
            TidemillNode master = kit.master();
            String job = master.submit(new SubmitRequest(NexmarkJob.class.getName(), args, 2, null, 500, null, 3,
                    100L, null));
            await().atMost(Duration.ofSeconds(60)).until(() -> master.checkpoints(job).completed() >= 2);
            ApiException relative = assertThrows(ApiException.class, () -> master.stop(job, "savepoints"));
            assertEquals(400, relative.status());

            // stop with a savepoint written to the directory: its location is there, metadata and blobs
            String location = awaitSavepoint(master, job, master.stop(job, savepoints.toString())).location();
            assertTrue(location.startsWith(savepoints + "/sp-"), location);
            assertTrue(Files.isRegularFile(Path.of(location, "_metadata")), location);
            await().atMost(Duration.ofSeconds(60)).until(() -> master.job(job).orElseThrow().status()
                    .equals("FINISHED"));

            // a new job resumes from the directory
            String resumed = master.submit(new SubmitRequest(NexmarkJob.class.getName(), args, 2, null, 500, null,
                    3, 100L, location));
            ClusterNexmarkTest.awaitStatus(master, resumed, "FINISHED");
        }
        List<String> want = ClusterNexmarkTest.expected(dir.resolve("expected"), "q5", EVENTS, 2);
        assertEquals(want, ClusterNexmarkTest.rows(out));
    }
}
