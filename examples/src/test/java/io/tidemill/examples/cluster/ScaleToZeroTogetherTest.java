package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.cluster.TidemillNode;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.examples.nexmark.NexmarkJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A StatefulSet scaled to zero with its pods stopped at the same moment: every node of a 3-node
 * cluster leaves at once. Leaving, the nodes would take the job below its quorum, so the master stops
 * it with a savepoint (in the shared store directory) while their tasks still run; a new cluster
 * resumes from it and the output is exact.
 */
@Timeout(240)
class ScaleToZeroTogetherTest {
    private static final long EVENTS = 400_000;

    @TempDir
    Path dir;

    @Test
    void everyNodeLeavingAtOnceStopsTheJobWithASavepointToResumeFrom() throws Exception {
        Path store = dir.resolve("store");
        Path out = dir.resolve("out");
        List<String> args = List.of("--query", "q5", "--events", String.valueOf(EVENTS), "--rate", "40000",
                "--output", out.toString(), "--exactly-once");
        String job;
        try (ClusterKit kit = ClusterKit.start(3, 1, c -> TidemillNode.start(c.withStoreDirectory(store)))) {
            TidemillNode master = kit.master();
            job = master.submit(new SubmitRequest(NexmarkJob.class.getName(), args, 3, null, 300, null, 3, 100L,
                    null));
            await().atMost(Duration.ofSeconds(60)).until(() -> master.checkpoints(job).completed() >= 2);

            // every node is told to stop at the same moment
            CompletableFuture.allOf(kit.nodes.stream().map(n -> CompletableFuture.runAsync(n::close))
                    .toArray(CompletableFuture[]::new)).get();
        }
        String savepoint;
        try (Stream<Path> s = Files.list(store.resolve(job))) {
            savepoint = s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("sp-")).findFirst()
                    .orElseThrow(() -> new AssertionError("no savepoint in " + store.resolve(job)));
        }
        assertTrue(Files.isRegularFile(store.resolve(job).resolve(savepoint).resolve("_metadata")), savepoint);

        try (ClusterKit kit = ClusterKit.start(1, 1, c -> TidemillNode.start(c.withStoreDirectory(store)))) {
            TidemillNode master = kit.master();
            String resumed = master.submit(new SubmitRequest(NexmarkJob.class.getName(), args, 3, null, 300, null, 3,
                    100L, job + "/" + savepoint));
            ClusterNexmarkTest.awaitStatus(master, resumed, "FINISHED");
        }
        List<String> want = ClusterNexmarkTest.expected(dir.resolve("expected"), "q5", EVENTS, 3);
        assertEquals(want, ClusterNexmarkTest.rows(out));
    }
}
