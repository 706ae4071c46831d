package io.tidemill.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.JobResult;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.local.JobFailedException;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import io.tidemill.testing.ControlledStore;
import io.tidemill.watermark.WatermarkStrategy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints that cannot be written are counted, and fail the job beyond the tolerated number. */
@Timeout(60)
class CheckpointFailuresTest {
    private final IOException diskFull = new IOException("No space left on device");

    @TempDir
    Path dir;

    private ControlledStore storeFailingBlobWrites() throws IOException {
        return new ControlledStore(new FileSnapshotStore(dir)).failWhere(op -> op.startsWith("put "), diskFull);
    }

    private static Pipeline unboundedJob() {
        Pipeline p = Pipeline.create().setName("full-disk").setParallelism(1);
        p.fromSource(GeneratorSource.unbounded(2_000, i -> i), WatermarkStrategy.noWatermarks(), "numbers")
                .map(i -> i + 1)
                .sinkTo(new CollectSink<>());
        return p;
    }

    @Test
    void givenAStoreThatFailsEveryWrite_whenTheJobRuns_thenItFailsWithTheStoresCause() throws Exception {
        JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(20)),
                storeFailingBlobWrites());

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(unboundedJob(), options);

            ExecutionException e = assertThrows(ExecutionException.class, () -> job.result().get(20, TimeUnit.SECONDS));

            assertTrue(e.getCause() instanceof JobFailedException, e.getCause().toString());
            assertTrue(e.getCause().getMessage().contains("No space left on device"), e.getCause().getMessage());
            Throwable root = e.getCause();
            while (root.getCause() != null) {
                root = root.getCause();
            }
            assertSame(diskFull, root, "the store's exception is the root cause");
        }
    }

    @Test
    void givenOneTolerableFailureAndOneRestart_whenEveryWriteFails_thenEachAttemptFailsAfterTwoAndAllAreCounted()
            throws Exception {
        JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(20))
                        .withTolerableFailures(1), storeFailingBlobWrites())
                .withRestart(RestartStrategy.fixedDelay(1, Duration.ofMillis(10)));

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(unboundedJob(), options);

            ExecutionException e = assertThrows(ExecutionException.class, () -> job.result().get(20, TimeUnit.SECONDS));

            assertEquals("job 'full-disk' failed: 2 checkpoints failed in a row (tolerable: 1); the last: checkpoint 4: "
                    + "task 0 could not write its snapshot: No space left on device", e.getCause().getMessage());
            assertEquals(1, job.restarts());
            assertEquals(4, job.failedCheckpoints());
            assertEquals(0, job.completedCheckpoints().size());
        }
    }

    @Test
    void givenAStoreThatFailsTheFirstTwoCheckpoints_whenTheJobFinishes_thenTheResultCountsBoth() throws Exception {
        ControlledStore store = new ControlledStore(new FileSnapshotStore(dir))
                .failWhere(op -> op.startsWith("put chk-1/") || op.startsWith("put chk-2/"), diskFull);
        Pipeline p = Pipeline.create().setName("two-failures").setParallelism(1);
        p.fromSource(GeneratorSource.bounded(6_000, i -> i).withRate(10_000), WatermarkStrategy.noWatermarks(),
                        "numbers")
                .map(i -> i + 1)
                .sinkTo(new CollectSink<>());
        JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(20)), store);

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p, options);
            JobResult result = job.join();

            assertEquals(2, result.checkpointsFailed());
            assertTrue(result.checkpointsCompleted() >= 1, "checkpoints 3 and later complete: " + result);
            assertEquals(job.completedCheckpoints().size(), result.checkpointsCompleted());
        }
    }
}
