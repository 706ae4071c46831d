package io.tidemill.checkpoint;

import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * A job whose sink is slower than its source, so that its channels stay full: events through a keyed
 * exchange, then one slow subtask writing them exactly once. Run as a child JVM by
 * {@link UnalignedProcessKillTest}: {@code SlowSinkJob OUT STATE PARALLELISM}, checkpointing unaligned
 * into {@code STATE} every 100 ms and resuming from its latest checkpoint.
 */
public final class SlowSinkJob {
    static final long EVENTS = 60_000;

    private SlowSinkJob() {}

    /**
     * Every event once, with its key, through a keyed pass-through and, with {@code slow}, a sink
     * subtask taking about 0.1 ms per event.
     */
    static Pipeline pipeline(int parallelism, boolean slow, Path out) {
        Pipeline p = Pipeline.create().setName("slow-sink").setParallelism(parallelism);
        p.fromSource(GeneratorSource.bounded(EVENTS, i -> new CheckpointJobs.Event(i % 37, i * 5, i)),
                        CheckpointJobs.STRATEGY, "events")
                .keyBy(CheckpointJobs.Event::key)
                .process(new KeyedProcessFunction<Long, CheckpointJobs.Event, CheckpointJobs.Event>() {
                    @Override
                    public void processElement(CheckpointJobs.Event e, Context<Long> ctx,
                                               Collector<CheckpointJobs.Event> events) {
                        events.collect(e);
                    }
                }).name("pass")
                .map(e -> {
                    if (slow) {
                        LockSupport.parkNanos(100_000);
                    }
                    return e;
                }).name("slow").setParallelism(1)
                .sinkTo(new ExactlyOnceFileSink<>(out), "sink").setParallelism(1);
        return p;
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        FileSnapshotStore store = new FileSnapshotStore(Path.of(args[1]));
        int parallelism = Integer.parseInt(args[2]);
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.submit(pipeline(parallelism, true, out), JobOptions.checkpointed(CheckpointConfig
                    .every(Duration.ofMillis(100)).withMode(CheckpointConfig.Mode.UNALIGNED)
                    .withTimeout(Duration.ofSeconds(10)), store)).join();
        }
    }
}
