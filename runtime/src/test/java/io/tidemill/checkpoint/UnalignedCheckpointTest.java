package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under heavy backpressure (a deliberately slow sink behind full queues), an aligned barrier waits
 * behind seconds of queued records and its checkpoint times out; an unaligned barrier overtakes the
 * queues and its checkpoint completes well within the same timeout.
 */
class UnalignedCheckpointTest {
    @TempDir
    Path dir;

    /** A fast unbounded source, a keyed exchange, and a sink that takes 1 ms per record. */
    private static Pipeline backpressuredJob() {
        Pipeline p = Pipeline.create().setName("backpressured").setParallelism(2);
        Sink<CheckpointJobs.Event> slow = new Sink<>() {
            @Override
            public io.tidemill.api.sink.SinkWriter<CheckpointJobs.Event> createWriter(int subtask, int parallelism) {
                return (value, ts) -> LockSupport.parkNanos(1_000_000);
            }

            @Override
            public boolean isBlocking() {
                return true;
            }
        };
        p.fromSource(GeneratorSource.unbounded(0, i -> new CheckpointJobs.Event(i % 101, i, i)),
                        CheckpointJobs.STRATEGY, "events")
                .keyBy(CheckpointJobs.Event::key)
                .reduce((a, b) -> b)
                .sinkTo(slow, "slow-sink").setParallelism(1);
        return p;
    }

    private JobOptions options(CheckpointConfig.Mode mode) throws Exception {
        return JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(200)).withMode(mode)
                .withTimeout(Duration.ofSeconds(1)), new FileSnapshotStore(dir.resolve(mode.name())));
    }

    @Test
    void givenASlowSink_whenCheckpointsAreAligned_thenTheyTimeOut() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(backpressuredJob(), options(CheckpointConfig.Mode.EXACTLY_ONCE));
            // Once the queues are full (a checkpoint started before that may still have made it) ...
            await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() > 5_000);
            int before = job.completedCheckpoints().size();

            // ... every aligned barrier waits behind seconds of queued records and times out.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                    .until(() -> job.completedCheckpoints().size() == before);

            job.cancel();
        }
    }

    @Test
    void givenASlowSink_whenCheckpointsAreUnaligned_thenTheyCompleteWithinTheTimeout() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(backpressuredJob(), options(CheckpointConfig.Mode.UNALIGNED));

            await().atMost(Duration.ofSeconds(5)).until(() -> job.completedCheckpoints().size() >= 3);

            assertTrue(job.completedCheckpoints().stream().allMatch(c -> c.durationMillis() < 1000));
            assertTrue(job.completedCheckpoints().stream().anyMatch(c -> c.bytes() > 10_000),
                    "in-flight records were saved with the snapshot");
            job.cancel();
        }
    }
}
