package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.WindowCount;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.testing.Event;
import io.tidemill.testing.GatedSource;
import io.tidemill.window.TumblingWindows;
import io.tidemill.watermark.WatermarkStrategy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An unbounded source with fewer splits than subtasks (a Kafka topic with fewer partitions than the
 * job's parallelism, partition discovery off) keeps its subtasks without a split alive and idle, as
 * Flink's readers of an unbounded source do: if they finished, the job would take no checkpoint again.
 */
@Timeout(60)
class UnboundedSourceWithoutSplitsTest {
    @TempDir
    Path dir;

    @Test
    void givenOneSplitForTwoSubtasks_whenTheJobRuns_thenItKeepsCheckpointingAndItsWindowsFire()
            throws Exception {
        AtomicLong gate = new AtomicLong(1_000);
        Pipeline p = Pipeline.create().setName("one-split").setParallelism(2);
        CollectSink<WindowCount<String>> sink = new CollectSink<>();
        p.fromSource(new GatedSource("k", 10, gate), WatermarkStrategy.<Event>forBoundedOutOfOrderness(Duration.ZERO)
                        .withTimestampAssigner((e, ts) -> e.ts()), "gated")
                .keyBy(Event::key)
                .window(TumblingWindows.eventTime(Duration.ofMillis(100)))
                .count()
                .sinkTo(sink);
        JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(50)),
                new FileSnapshotStore(dir));

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p, options);
            try {
                // the subtask without a split stays (the job keeps running) and checkpoints go on
                await().atMost(Duration.ofSeconds(20)).until(() -> job.completedCheckpoints().size() >= 3);
                int before = job.completedCheckpoints().size();
                gate.set(5_000);
                await().atMost(Duration.ofSeconds(20)).until(() -> job.completedCheckpoints().size() > before + 2);
                // the idle subtask holds nobody's watermark back: the windows behind the gate fire
                await().atMost(Duration.ofSeconds(20)).until(() -> sink.size() >= 45);
                assertFalse(job.result().isDone(), "an unbounded source's job does not end by itself");
            } finally {
                job.cancel();
            }
            assertTrue(job.completedCheckpoints().size() > 3);
        }
    }
}
