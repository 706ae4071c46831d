package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Pipeline;
import io.tidemill.cluster.TidemillNode;
import io.tidemill.cluster.api.JobDetails;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.examples.nexmark.NexmarkJob;
import io.tidemill.local.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Nexmark queries on real nodes in this JVM give the same rows as on the embedded cluster. */
class ClusterNexmarkTest {
    @TempDir
    Path dir;

    static List<String> rows(Path directory) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        Collections.sort(lines);
        return lines;
    }

    static List<String> expected(Path out, String query, long events, int parallelism) throws Exception {
        List<String> args = List.of("--query", query, "--events", String.valueOf(events), "--output", out.toString());
        Pipeline p = new NexmarkJob().build(args);
        p.setParallelism(parallelism);
        try (LocalCluster local = LocalCluster.start(2)) {
            local.execute(p);
        }
        return rows(out);
    }

    static String awaitStatus(TidemillNode any, String jobId, String status) {
        await().atMost(Duration.ofSeconds(120)).until(() -> {
            JobDetails d = any.job(jobId).orElseThrow();
            if (d.status().equals("FAILED") && !status.equals("FAILED")) {
                throw new AssertionError("job failed: " + d.lastFailure());
            }
            return d.status().equals(status);
        });
        return status;
    }

    private long checkpointInterval;
    private String lastJob;

    void runOn(ClusterKit kit, String query, long events, int parallelism) throws Exception {
        Path out = dir.resolve(query + "-cluster-" + parallelism);
        List<String> want = expected(dir.resolve(query + "-local-" + parallelism), query, events, parallelism);
        String id = kit.master().submit(new SubmitRequest(NexmarkJob.class.getName(),
                List.of("--query", query, "--events", String.valueOf(events), "--output", out.toString()),
                parallelism, null, checkpointInterval, null, 0, 0L, null));
        lastJob = id;
        awaitStatus(kit.master(), id, "FINISHED");
        List<String> got = rows(out);
        for (TidemillNode n : kit.nodes) {
            if (kit.nodes.size() > 1) { // every node took records from the network: the job was spread over all
                long received = n.dataPlaneStats().connections().stream().mapToLong(c -> c.recordsReceived()).sum();
                org.junit.jupiter.api.Assertions.assertTrue(received > 0, "node " + n.memberId() + " got no records");
            }
        }
        assertEquals(want.size(), got.size(), query + ": row count");
        assertEquals(want, got, query + ": rows");
    }

    @Test
    void oneNodeRunsQ5LikeTheEmbeddedCluster() throws Exception {
        try (ClusterKit kit = ClusterKit.start(1, 2)) {
            runOn(kit, "q5", 200_000, 2);
        }
    }

    @Test
    void threeNodesRunQ5Q8AndQ11AtParallelism4LikeTheEmbeddedCluster() throws Exception {
        try (ClusterKit kit = ClusterKit.start(3, 1)) {
            for (String q : List.of("q5", "q8", "q11")) {
                runOn(kit, q, 300_000, 4);
            }
        }
    }

    @Test
    void sixNodesRunQ5AtParallelism12LikeTheEmbeddedCluster() throws Exception {
        try (ClusterKit kit = ClusterKit.start(6, 1)) {
            checkpointInterval = 200;
            runOn(kit, "q5", 300_000, 12);
            // what one job costs the cluster, per node (DESIGN.md, "Beyond one machine")
            for (TidemillNode n : kit.nodes) {
                System.out.printf("node %s%s: %d data connections, control messages received %s%n",
                        n.memberId().substring(0, 8), n.isMaster() ? " (master)" : "",
                        n.dataPlaneStats().connections().size(), n.controlMessagesReceived());
            }
            System.out.println("checkpoints: " + kit.master().checkpoints(lastJob));
        }
    }
}
