package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three {@code tidemill node} JVMs; a checkpointed Nexmark job with the exactly-once file sink runs
 * over all three; one node is killed with SIGKILL mid-run. The job recovers on the other two and its
 * output equals the failure-free run's exactly. Prints the recovery time (kill to the first record
 * read after the restore).
 */
class ClusterProcessKillTest {
    private static final long EVENTS = 600_000;
    private static final long RATE = 40_000;

    @TempDir
    Path dir;

    @Test
    void killingAWorkerLosesAndDuplicatesNothing() throws Exception {
        run(false, false);
    }

    @Test
    void killingTheMasterLosesAndDuplicatesNothing() throws Exception {
        run(true, false);
    }

    /** SIGTERM: the node leaves gracefully, its subtasks restart on the others. */
    @Test
    void aWorkerLeavingOnSigtermLosesAndDuplicatesNothing() throws Exception {
        run(false, true);
    }

    private void run(boolean killMaster, boolean gracefully) throws Exception {
        String cluster = "kill-" + UUID.randomUUID();
        List<Integer> ports = List.of(ClusterKit.freePort(), ClusterKit.freePort(), ClusterKit.freePort());
        List<String> members = ports.stream().map(p -> "127.0.0.1:" + p).toList();
        List<NodeProcess> nodes = new ArrayList<>();
        Path out = dir.resolve("out");
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(NodeProcess.start(cluster, ports.get(i), members, dir.resolve("node" + i + ".log")));
            }
            await().atMost(Duration.ofSeconds(90)).until(() -> nodes.stream().allMatch(n -> {
                JsonNode m = Rest.tryGet(n.url() + "/members");
                JsonNode ready = Rest.tryGet(n.url() + "/ready");
                return m != null && m.get("members").size() == 3 && ready != null;
            }));
            JsonNode membersView = Rest.get(nodes.get(0).url() + "/members");
            int masterHzPort = 0;
            for (JsonNode m : membersView.get("members")) {
                if (m.get("master").asBoolean()) {
                    masterHzPort = m.get("hazelcastPort").asInt();
                }
            }
            int mp = masterHzPort;
            NodeProcess master = nodes.stream().filter(n -> n.hazelcastPort == mp).findFirst().orElseThrow();
            NodeProcess victim = killMaster ? master : nodes.stream().filter(n -> n != master).findFirst().orElseThrow();
            NodeProcess survivor = nodes.stream().filter(n -> n != victim).findFirst().orElseThrow();

            SubmitRequest submit = new SubmitRequest(NexmarkJob.class.getName(), List.of("--query", "q5", "--events",
                    String.valueOf(EVENTS), "--rate", String.valueOf(RATE), "--output", out.toString(),
                    "--exactly-once"), 4, null, 300, "exactly-once", 10, 200L, null);
            String id = Rest.post(survivor.url() + "/jobs", submit).get("jobId").asText();
            String job = "/jobs/" + id;
            // let it complete a checkpoint and run on
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode c = Rest.tryGet(survivor.url() + job + "/checkpoints");
                return c != null && c.get("completed").asInt() >= 2;
            });
            // a savepoint taken before the kill can still be queried by its id afterwards (also after a
            // master failover: savepoint requests live in a Hazelcast map)
            String trigger = Rest.post(survivor.url() + job + "/savepoints", java.util.Map.of()).get("request-id")
                    .asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode sp = Rest.tryGet(survivor.url() + job + "/savepoints/" + trigger);
                return sp != null && sp.get("status").asText().equals("COMPLETED");
            });
            String savepointLocation = Rest.get(survivor.url() + job + "/savepoints/" + trigger).get("location")
                    .asText();
            long executionBefore = Rest.get(survivor.url() + job).get("executionId").asLong();
            long killedAt = System.nanoTime();
            if (gracefully) {
                victim.terminate();
            } else {
                victim.kill();
            }
            if ("true".equals(System.getenv("TIDEMILL_TEST_PRINT_LOGS"))) {
                System.out.printf("kill took %d ms%n", (System.nanoTime() - killedAt) / 1_000_000);
            }
            // recovered: a new execution runs and has read records again
            long[] seen = new long[3]; // when a new execution, it running, its first records were seen
            List<NodeProcess> survivors = nodes.stream().filter(n -> n != victim).toList();
            int[] turn = new int[1];
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
                long t0 = System.nanoTime();
                // short timeouts, asking the survivors in turn: a request forwarded to the dead master may hang
                JsonNode d = Rest.tryGet(survivors.get(turn[0]++ % survivors.size()).url() + job,
                        Duration.ofMillis(500));
                long now = System.nanoTime() - killedAt;
                if ("true".equals(System.getenv("TIDEMILL_TEST_PRINT_LOGS"))) {
                    System.out.printf("poll %d ms (%d ms): %s%n", now / 1_000_000, (System.nanoTime() - t0) / 1_000_000,
                            d == null ? "-" : d.get("status") + " " + d.get("executionId"));
                }
                if (d == null || d.get("executionId").asLong() == executionBefore) {
                    return false;
                }
                seen[0] = seen[0] == 0 ? now : seen[0];
                if (!d.get("status").asText().equals("RUNNING")) {
                    return false;
                }
                seen[1] = seen[1] == 0 ? now : seen[1];
                for (JsonNode v : d.get("vertices")) {
                    if (v.get("index").asInt() == 0 && v.get("recordsIn").asLong() > 0) {
                        seen[2] = now;
                        return true;
                    }
                }
                return false;
            });
            System.out.printf("recovery after %s of the %s: new execution after %d ms, running after %d ms, "
                    + "first record read after the restore after %d ms%n", gracefully ? "SIGTERM" : "kill -9",
                    killMaster ? "master" : "worker",
                    seen[0] / 1_000_000, seen[1] / 1_000_000, seen[2] / 1_000_000);
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                JsonNode d = Rest.tryGet(survivor.url() + job);
                assertTrue(d == null || !d.get("status").asText().equals("FAILED"), () -> "job failed: " + d);
                return d != null && d.get("status").asText().equals("FINISHED");
            });
            if ("true".equals(System.getenv("TIDEMILL_TEST_PRINT_LOGS"))) {
                throw new AssertionError("printing the logs as asked");
            }
            JsonNode details = Rest.get(survivor.url() + job);
            JsonNode savepoint = Rest.get(survivor.url() + job + "/savepoints/" + trigger);
            assertEquals("COMPLETED", savepoint.get("status").asText(), savepoint.toString());
            assertEquals(savepointLocation, savepoint.get("location").asText());
            assertTrue(details.get("restarts").asInt() >= 1, "the job restarted: " + details);
        } catch (Exception | Error e) {
            NodeProcess.printLogTails(nodes, "true".equals(System.getenv("TIDEMILL_TEST_PRINT_LOGS")) ? 400 : 40);
            throw e;
        } finally {
            NodeProcess.closeAll(nodes);
        }
        List<String> want = ClusterNexmarkTest.expected(dir.resolve("expected"), "q5", EVENTS, 4);
        List<String> got = ClusterNexmarkTest.rows(out);
        assertEquals(want.size(), got.size(), "row count");
        assertEquals(want, got, "rows");
        assertTrue(Files.exists(out));
    }
}
