package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;

import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.testing.ControlledStore;
import io.tidemill.watermark.WatermarkStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Two jobs on one cluster: one job's hanging snapshot store must not stop the other's checkpoints. */
@Timeout(60)
class SlowStoreIsolationTest {
    @TempDir
    Path dir;

    /** What hangs in job A's store, and how many operations hang once A is stuck. */
    static Stream<Arguments> hangs() {
        Predicate<String> blobWrites = op -> op.startsWith("put ") && !op.endsWith("/_metadata");
        Predicate<String> metadataWrites = op -> op.startsWith("put ") && op.endsWith("/_metadata");
        Predicate<String> deletes = op -> op.startsWith("delete ");
        return Stream.of(
                Arguments.of("blob writes", blobWrites, 2), // both tasks' blobs
                Arguments.of("metadata writes", metadataWrites, 1),
                Arguments.of("deletes", deletes, 1)); // retention deletes the older checkpoint
    }

    @ParameterizedTest(name = "{0} of job A hang")
    @MethodSource("hangs")
    void givenTwoJobsOnOneCluster_whenOneJobsStoreHangs_thenTheOtherKeepsCompletingCheckpoints(
            String what, Predicate<String> hanging, int hungOperations) throws Exception {
        ControlledStore storeA = new ControlledStore(new FileSnapshotStore(dir.resolve("a"))).holdWhere(hanging);
        JobOptions optionsA = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(50)).withRetained(1),
                storeA);
        JobOptions optionsB = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(50)),
                new FileSnapshotStore(dir.resolve("b")));

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle a = cluster.submit(job("a", 2), optionsA);
            JobHandle b = cluster.submit(job("b", 1), optionsB);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> storeA.waiting() >= hungOperations);

                int before = b.completedCheckpoints().size();
                await().atMost(Duration.ofSeconds(10)).until(() -> b.completedCheckpoints().size() >= before + 5);
            } finally {
                storeA.release();
                a.cancel();
                b.cancel();
            }
        }
    }

    private static Pipeline job(String name, int parallelism) {
        Pipeline p = Pipeline.create().setName(name).setParallelism(parallelism);
        p.fromSource(GeneratorSource.unbounded(2_000, i -> i), WatermarkStrategy.noWatermarks(), "numbers")
                .map(i -> i + 1)
                .sinkTo(new CollectSink<>());
        return p;
    }
}
