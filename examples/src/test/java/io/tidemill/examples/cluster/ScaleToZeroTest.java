package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.examples.nexmark.NexmarkJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StatefulSet scaled to zero and back, with processes: the last node gets SIGTERM in the middle
 * of an exactly-once Nexmark q5 and stops the job with a savepoint in the shared snapshot
 * directory (the optional ReadWriteMany volume of deploy/k8s) before it leaves; a new node on the
 * same directory resumes the job from that savepoint, and the output of both runs together equals
 * the failure-free run's. (A worker leaving on SIGTERM while others run on is
 * ClusterProcessKillTest#aWorkerLeavingOnSigtermLosesAndDuplicatesNothing.)
 */
class ScaleToZeroTest {
    private static final long EVENTS = 300_000;
    private static final Pattern SAVEPOINT =
            Pattern.compile("stopped with savepoint (\\S+) \\(members are leaving\\)");

    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void theLastNodeLeavingOnSigtermStopsItsJobWithASavepointToResumeFrom() throws Exception {
        Path store = Files.createDirectories(dir.resolve("snapshots"));
        Path out = dir.resolve("out");
        List<String> args = List.of("--query", "q5", "--events", String.valueOf(EVENTS), "--rate", "30000",
                "--output", out.toString(), "--exactly-once");
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            NodeProcess last = start(nodes, "first", store);
            String job = Rest.post(last.url() + "/jobs", new SubmitRequest(NexmarkJob.class.getName(), args, 2, null,
                    200, "exactly-once", 3, 100L, null)).get("jobId").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode c = Rest.tryGet(last.url() + "/jobs/" + job + "/checkpoints");
                return c != null && c.get("completed").asInt() >= 2;
            });
            assertEquals("RUNNING", Rest.get(last.url() + "/jobs/" + job).get("status").asText(),
                    "the job is still running when its last node is told to stop");

            last.terminate(); // SIGTERM, as Kubernetes scaling the StatefulSet to zero

            Matcher logged = SAVEPOINT.matcher(Files.readString(last.log));
            assertTrue(logged.find(), "the leaving node logs the savepoint it stopped the job with");
            String location = logged.group(1);
            assertTrue(location.startsWith(job + "/"), location);
            try (Stream<Path> files = Files.walk(store.resolve(job))) {
                String prefix = location.substring(job.length() + 1);
                assertFalse(files.filter(Files::isRegularFile).filter(f -> store.resolve(job).relativize(f)
                        .toString().startsWith(prefix)).toList().isEmpty(), "the savepoint is in " + store);
            }

            // scaled up again: a new cluster on the same volume resumes from the savepoint
            NodeProcess next = start(nodes, "second", store);
            String resumed = Rest.post(next.url() + "/jobs", new SubmitRequest(NexmarkJob.class.getName(), args, 2,
                    null, 200, "exactly-once", 3, 100L, location)).get("jobId").asText();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                JsonNode d = Rest.tryGet(next.url() + "/jobs/" + resumed);
                assertTrue(d == null || !d.get("status").asText().equals("FAILED"), () -> "job failed: " + d);
                return d != null && d.get("status").asText().equals("FINISHED");
            });
        } catch (Exception | Error e) {
            NodeProcess.printLogTails(nodes, 40);
            throw e;
        } finally {
            NodeProcess.closeAll(nodes);
        }
        List<String> want = ClusterNexmarkTest.expected(dir.resolve("expected"), "q5", EVENTS, 2);
        assertEquals(want, ClusterNexmarkTest.rows(out));
    }

    private NodeProcess start(List<NodeProcess> nodes, String name, Path store) throws Exception {
        int port = ClusterKit.freePort();
        NodeProcess n = NodeProcess.start("zero-" + UUID.randomUUID(), port, List.of("127.0.0.1:" + port),
                dir.resolve(name + ".log"), "--store-dir", store.toString());
        nodes.add(n);
        // ready, and its job master active (it takes over a moment after the node turns ready)
        await().atMost(Duration.ofSeconds(60)).until(() -> Rest.tryGet(n.url() + "/ready") != null
                && Rest.tryGet(n.url() + "/jobs") != null);
        return n;
    }
}
