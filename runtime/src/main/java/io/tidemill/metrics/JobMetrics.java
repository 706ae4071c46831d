package io.tidemill.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.local.JobHandle;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Publishes a job's counters to a Micrometer registry (Prometheus names {@code tidemill_*}, label
 * {@code job}): records read, late records dropped, dead letters, restarts, completed and failed
 * checkpoints, the last checkpoint's duration and size, and the watermark lag. The meters read the job handle,
 * which Micrometer references weakly: keep the handle while the registry is scraped.
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * JobMetrics.bind(job, registry, deadLetters::count);
 * String text = registry.scrape();
 * }</pre>
 */
public final class JobMetrics {
    private JobMetrics() {}

    /**
     * @param deadLetters count of malformed input records sent to a dead-letter output (or null)
     */
    public static void bind(JobHandle job, MeterRegistry registry, LongSupplier deadLetters) {
        Tags tags = Tags.of("job", job.name());
        FunctionCounter.builder("tidemill.records.in", job, JobHandle::recordsIn)
                .description("records read by all sources").tags(tags).register(registry);
        FunctionCounter.builder("tidemill.late.records.dropped", job, JobHandle::lateRecordsDropped)
                .description("records left out of windows because they were late").tags(tags).register(registry);
        if (deadLetters != null) {
            // Micrometer holds the state object weakly: the job (kept by its owner), not the supplier.
            FunctionCounter.builder("tidemill.dead.letters", job, j -> deadLetters.getAsLong())
                    .description("malformed input records sent to the dead-letter output").tags(tags)
                    .register(registry);
        }
        FunctionCounter.builder("tidemill.restarts", job, JobHandle::restarts)
                .description("restarts after failures").tags(tags).register(registry);
        FunctionCounter.builder("tidemill.checkpoints.completed", job, j -> j.completedCheckpoints().size())
                .description("completed checkpoints").tags(tags).register(registry);
        FunctionCounter.builder("tidemill.checkpoints.failed", job, JobHandle::failedCheckpoints)
                .description("checkpoints not written, declined or timed out").tags(tags).register(registry);
        Gauge.builder("tidemill.checkpoint.last.duration.seconds", job,
                        j -> last(j.completedCheckpoints(), c -> c.durationMillis() / 1000.0))
                .description("duration of the last completed checkpoint").tags(tags).register(registry);
        Gauge.builder("tidemill.checkpoint.last.size.bytes", job,
                        j -> last(j.completedCheckpoints(), c -> (double) c.bytes()))
                .description("size of the last completed checkpoint").tags(tags).register(registry);
        Gauge.builder("tidemill.watermark.lag.seconds", job, JobMetrics::watermarkLag)
                .description("wall clock minus the job's watermark").tags(tags).register(registry);
    }

    private static double last(List<CheckpointCoordinator.Completed> done,
                               java.util.function.ToDoubleFunction<CheckpointCoordinator.Completed> f) {
        return done.isEmpty() ? Double.NaN : f.applyAsDouble(done.get(done.size() - 1));
    }

    private static double watermarkLag(JobHandle job) {
        long wm = job.watermark();
        if (wm == Long.MIN_VALUE || wm == Long.MAX_VALUE) {
            return Double.NaN;
        }
        return (System.currentTimeMillis() - wm) / 1000.0;
    }
}
