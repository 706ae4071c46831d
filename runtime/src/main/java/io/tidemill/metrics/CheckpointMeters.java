package io.tidemill.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tidemill.checkpoint.CheckpointCoordinator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The distributions of a job's completed checkpoints, fed once per checkpoint: duration (a
 * histogram with a few fixed buckets), size, and the longest synchronous pause and barrier alignment
 * of any task. The embedded job's {@link JobMetrics} and a cluster's master both use it.
 */
public final class CheckpointMeters implements AutoCloseable {
    /** The buckets of the duration histogram: a few, from fast local to slow remote stores. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
            Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10)};

    private final MeterRegistry registry;
    private final Timer duration;
    private final DistributionSummary size;
    private final Timer syncPause;
    private final Timer alignment;

    /** Registers the meters under {@code tags} (the job's {@code job_name}). */
    public CheckpointMeters(MeterRegistry registry, Tags tags) {
        this.registry = registry;
        duration = Timer.builder("tidemill.checkpoint.duration")
                .description("time from triggering a checkpoint to its completion").tags(tags)
                .serviceLevelObjectives(BUCKETS).register(registry);
        size = DistributionSummary.builder("tidemill.checkpoint.size").baseUnit("bytes")
                .description("size of a completed checkpoint").tags(tags).register(registry);
        syncPause = Timer.builder("tidemill.checkpoint.sync.pause")
                .description("longest synchronous snapshot pause of any task in a checkpoint").tags(tags)
                .register(registry);
        alignment = Timer.builder("tidemill.checkpoint.alignment")
                .description("longest barrier alignment of any task in a checkpoint").tags(tags).register(registry);
    }

    public void record(CheckpointCoordinator.Completed c) {
        duration.record(c.durationMillis(), TimeUnit.MILLISECONDS);
        size.record(c.bytes());
        syncPause.record(c.maxSyncNanos(), TimeUnit.NANOSECONDS);
        alignment.record(c.maxAlignNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        registry.remove(duration);
        registry.remove(size);
        registry.remove(syncPause);
        registry.remove(alignment);
    }
}
