package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A savepoint restores into a changed pipeline when its stateful operators carry uids. */
class UidRestoreTest {
    private static final long EVENTS = 40_000;

    @TempDir
    Path dir;

    /** The windowed job; {@code changed} adds an operator before the window, {@code uids} names the stateful ones. */
    private static Pipeline job(long rate, boolean changed, boolean uids, Path out) {
        Pipeline p = Pipeline.create().setName("uids").setParallelism(2);
        GeneratorSource<CheckpointJobs.Event> source = GeneratorSource.bounded(EVENTS,
                i -> new CheckpointJobs.Event(i % 37, i * 5, i));
        DataStream<CheckpointJobs.Event> in = p.fromSource(rate > 0 ? source.withRate(rate) : source,
                CheckpointJobs.STRATEGY, "events");
        if (uids) {
            in.uid("events");
        }
        if (changed) {
            in = in.filter(e -> e.value() >= 0).name("added-filter");
        }
        DataStream<CheckpointJobs.Row> windows = CheckpointJobs.sumPerKeyAndSecond(in);
        var sink = windows.sinkTo(new ExactlyOnceFileSink<>(out), "sink");
        if (uids) {
            windows.uid("sums");
            sink.uid("output");
        }
        return p;
    }

    private String savepointOfFirstVersion(LocalCluster cluster, FileSnapshotStore store, boolean uids, Path out)
            throws Exception {
        JobHandle job = cluster.submit(job(20_000, false, uids, out), new JobOptions(CheckpointConfig.DISABLED, store,
                RestartStrategy.NONE, false, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() > EVENTS / 4);
        CheckpointCoordinator.Completed sp = job.stopWithSavepoint("v1").get();
        job.join();
        assertTrue(job.recordsIn() < EVENTS, "stopped before the end");
        return sp.prefix();
    }

    @Test
    void givenUidsOnTheStatefulOperators_whenAnOperatorIsAdded_thenTheSavepointRestoresAndNothingIsLost()
            throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            String savepoint = savepointOfFirstVersion(cluster, store, true, out);
            JobHandle resumed = cluster.submit(job(0, true, true, out),
                    JobOptions.DEFAULT.withRestoreFrom(new JobOptions.SnapshotSource(store, savepoint)));
            resumed.join();
        }
        assertEquals(CheckpointJobs.expectedRows(EVENTS), CheckpointJobs.committedRows(out));
    }

    /**
     * Version 2: a new branch without uids built first, so its stateful first step takes the position
     * (and id) of version 1's stateless map; then version 1's uid'd branch.
     */
    private static Pipeline withNewBranchFirst(Path out) {
        Pipeline p = Pipeline.create().setName("uids").setParallelism(2);
        DataStream<CheckpointJobs.Event> in = p.fromSource(GeneratorSource.bounded(EVENTS,
                i -> new CheckpointJobs.Event(i % 37, i * 5, i)), CheckpointJobs.STRATEGY, "events").uid("events");
        in.windowAll(io.tidemill.window.TumblingWindows.eventTime(java.time.Duration.ofSeconds(1)))
                .aggregate(io.tidemill.api.Aggregates.<CheckpointJobs.Event>count())
                .sinkTo(new io.tidemill.api.sink.CollectSink<>(), "new-branch");
        CheckpointJobs.sumPerKeyAndSecond(in).uid("sums").sinkTo(new ExactlyOnceFileSink<>(out), "sink").uid("output");
        return p;
    }

    private static Pipeline withStatelessMap(long rate, Path out) {
        Pipeline p = Pipeline.create().setName("uids").setParallelism(2);
        GeneratorSource<CheckpointJobs.Event> source = GeneratorSource.bounded(EVENTS,
                i -> new CheckpointJobs.Event(i % 37, i * 5, i));
        DataStream<CheckpointJobs.Event> in = p.fromSource(source.withRate(rate), CheckpointJobs.STRATEGY, "events")
                .uid("events");
        CheckpointJobs.sumPerKeyAndSecond(in.map(e -> e).name("stateless"))
                .uid("sums").sinkTo(new ExactlyOnceFileSink<>(out), "sink").uid("output");
        return p;
    }

    @Test
    void givenUids_whenANewOperatorTakesTheIdOfAnOldStatelessOne_thenItStartsEmpty() throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(withStatelessMap(20_000, out), new JobOptions(CheckpointConfig.DISABLED,
                    store, RestartStrategy.NONE, false, null));
            await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() > EVENTS / 4);
            String savepoint = job.stopWithSavepoint("v1").get().prefix();
            job.join();

            cluster.submit(withNewBranchFirst(out),
                    JobOptions.DEFAULT.withRestoreFrom(new JobOptions.SnapshotSource(store, savepoint))).join();
        }
        assertEquals(CheckpointJobs.expectedRows(EVENTS), CheckpointJobs.committedRows(out));
    }

    @Test
    void givenNoUids_whenAnOperatorIsAdded_thenRestoreIsRefusedRatherThanStateMisplaced() throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            String savepoint = savepointOfFirstVersion(cluster, store, false, out);
            Exception e = assertThrows(Exception.class, () -> cluster.submit(job(0, true, false, out),
                    JobOptions.DEFAULT.withRestoreFrom(new JobOptions.SnapshotSource(store, savepoint))).join());
            assertTrue(String.valueOf(e.getMessage()).contains("the pipeline changed since the snapshot was taken"),
                    e.getMessage());
        }
    }

    /** The windowed job with uids on the window and the sink but not on the source (whose offsets are state, under n1). */
    private static Pipeline withoutSourceUid(String name, long rate, boolean addedMap, Path out) {
        Pipeline p = Pipeline.create().setName(name).setParallelism(2);
        GeneratorSource<CheckpointJobs.Event> source = GeneratorSource.bounded(EVENTS,
                i -> new CheckpointJobs.Event(i % 37, i * 5, i));
        DataStream<CheckpointJobs.Event> in = p.fromSource(rate > 0 ? source.withRate(rate) : source,
                CheckpointJobs.STRATEGY, "events");
        if (addedMap) {
            in = in.map(e -> e).name("added-map");
        }
        CheckpointJobs.sumPerKeyAndSecond(in).uid("sums").sinkTo(new ExactlyOnceFileSink<>(out), "sink").uid("output");
        return p;
    }

    private String savepointWithoutSourceUid(LocalCluster cluster, FileSnapshotStore store, Path out)
            throws Exception {
        JobHandle job = cluster.submit(withoutSourceUid("uids", 20_000, false, out),
                new JobOptions(CheckpointConfig.DISABLED, store, RestartStrategy.NONE, false, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() > EVENTS / 4);
        String savepoint = job.stopWithSavepoint("v1").get().prefix();
        job.join();
        return savepoint;
    }

    @Test
    @Timeout(60)
    void givenASourceWithoutUid_whenAMapIsAdded_thenTheRefusalNamesTheSourceAsTheOperatorThatNeedsAUid()
            throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            String savepoint = savepointWithoutSourceUid(cluster, store, out);
            Exception e = assertThrows(Exception.class, () -> cluster.submit(withoutSourceUid("uids", 0, true, out),
                    JobOptions.DEFAULT.withRestoreFrom(new JobOptions.SnapshotSource(store, savepoint))).join());
            String message = String.valueOf(e.getMessage());
            assertTrue(message.contains("the snapshot keeps the state of 'events' (n1) by position, not by uid"),
                    message);
            assertTrue(message.contains("give it a uid(...)"), message);
            assertTrue(message.contains("'added-map'"), "says where the pipeline changed: " + message);
            assertFalse(message.contains("taken by job"), "the same job: " + message);
        }
    }

    @Test
    @Timeout(60)
    void givenASavepointOfAnotherJob_whenItDoesNotFit_thenTheRefusalNamesTheJobThatTookIt() throws Exception {
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        Path out = dir.resolve("out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            String savepoint = savepointWithoutSourceUid(cluster, store, out);
            Exception e = assertThrows(Exception.class, () -> cluster.submit(
                    withoutSourceUid("another-job", 0, true, out),
                    JobOptions.DEFAULT.withRestoreFrom(new JobOptions.SnapshotSource(store, savepoint))).join());
            String message = String.valueOf(e.getMessage());
            assertTrue(message.contains("(taken by job 'uids', not by this job 'another-job')"), message);
        }
    }
}
