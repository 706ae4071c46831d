package io.tidemill.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.local.JobHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a job of the local cluster to a Micrometer registry (Prometheus names {@code tidemill_*},
 * label {@code job_name}; per subtask and vertex see {@link TaskMeters}): records read, late records
 * dropped, dead letters, restarts, checkpoints completed, failed and aborted, checkpoint duration
 * (histogram), size, synchronous pause and alignment time, the last checkpoint's id and age, and the
 * watermark lag. Counters and gauges read the job when scraped; the checkpoint histograms are fed
 * once per completed checkpoint. {@link #close} removes every meter of the job; until then this
 * object holds the job (Micrometer references meters' state weakly).
 *
 * <pre>{@code
 * PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
 * try (JobMetrics metrics = JobMetrics.bind(job, registry, deadLetters::count)) {
 *     job.join();
 *     String text = registry.scrape();
 * }
 * }</pre>
 */
public final class JobMetrics implements AutoCloseable {
    private final MeterRegistry registry;
    private final JobHandle job;
    private final LongSupplier deadLetters;
    private final List<Meter> meters = new ArrayList<>();
    private final TaskMeters tasks;
    private final CheckpointMeters checkpoints;
    private volatile boolean closed;

    private JobMetrics(JobHandle job, MeterRegistry registry, LongSupplier deadLetters) {
        this.job = job;
        this.registry = registry;
        this.deadLetters = deadLetters;
        Tags tags = Tags.of("job_name", job.name());
        counter("tidemill.records.in", "records read by all sources", tags, JobHandle::recordsIn);
        counter("tidemill.late.records.dropped", "records left out of windows because they were late", tags,
                JobHandle::lateRecordsDropped);
        if (deadLetters != null) {
            meters.add(FunctionCounter.builder("tidemill.dead.letters", this, m -> m.deadLetters.getAsLong())
                    .description("malformed input records sent to the dead-letter output").tags(tags)
                    .register(registry));
        }
        counter("tidemill.restarts", "restarts after failures", tags, JobHandle::restarts);
        counter("tidemill.checkpoints.completed", "completed checkpoints and savepoints", tags,
                j -> j.completedCheckpoints().size());
        counter("tidemill.checkpoints.failed", "checkpoints not written, declined or timed out", tags,
                JobHandle::failedCheckpoints);
        counter("tidemill.checkpoints.aborted", "checkpoints in flight when an attempt of the job ended", tags,
                JobHandle::abortedCheckpoints);
        gauge("tidemill.checkpoint.last.duration.seconds", "duration of the last completed checkpoint", tags,
                j -> last(j.completedCheckpoints(), c -> c.durationMillis() / 1000.0));
        gauge("tidemill.checkpoint.last.size.bytes", "size of the last completed checkpoint", tags,
                j -> last(j.completedCheckpoints(), c -> (double) c.bytes()));
        gauge("tidemill.checkpoint.last.id", "id of the last completed checkpoint", tags,
                j -> last(j.completedCheckpoints(), c -> (double) c.id()));
        meters.add(Gauge.builder("tidemill.checkpoint.last.age.seconds", this, JobMetrics::lastCheckpointAge)
                .description("time since the last checkpoint completed (NaN before the first)").tags(tags)
                .register(registry));
        gauge("tidemill.watermark.lag.seconds", "wall clock minus the job's watermark", tags, JobMetrics::watermarkLag);
        checkpoints = new CheckpointMeters(registry, tags);
        tasks = TaskMeters.register(registry, job.name(), job.taskStats());
    }

    /**
     * Registers the meters of {@code job}; checkpoints it completed before are in the histograms too.
     *
     * @param deadLetters count of malformed input records sent to a dead-letter output (or null)
     */
    public static JobMetrics bind(JobHandle job, MeterRegistry registry, LongSupplier deadLetters) {
        JobMetrics m = new JobMetrics(job, registry, deadLetters);
        m.lastCompletedAt = job.completedCheckpoints().isEmpty() ? 0 : System.currentTimeMillis();
        for (CheckpointCoordinator.Completed c : job.completedCheckpoints()) {
            m.record(c);
        }
        job.onCheckpointCompleted(m::onCompleted);
        return m;
    }

    /** When the last checkpoint completed (epoch millis), 0 before the first. */
    private volatile long lastCompletedAt;

    private void onCompleted(CheckpointCoordinator.Completed c) {
        lastCompletedAt = System.currentTimeMillis();
        if (!closed) {
            record(c);
        }
    }

    private void record(CheckpointCoordinator.Completed c) {
        checkpoints.record(c);
    }

    private double lastCheckpointAge() {
        long at = lastCompletedAt;
        return at == 0 ? Double.NaN : (System.currentTimeMillis() - at) / 1000.0;
    }

    private void counter(String name, String description, Tags tags, ToDoubleFunction<JobHandle> f) {
        meters.add(FunctionCounter.builder(name, job, f).description(description).tags(tags).register(registry));
    }

    private void gauge(String name, String description, Tags tags, ToDoubleFunction<JobHandle> f) {
        meters.add(Gauge.builder(name, job, f).description(description).tags(tags).register(registry));
    }

    /** Removes every meter of the job from the registry (a finished job's series disappear). */
    @Override
    public void close() {
        closed = true;
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
        checkpoints.close();
        tasks.close();
    }

    private static double last(List<CheckpointCoordinator.Completed> done,
                               ToDoubleFunction<CheckpointCoordinator.Completed> f) {
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
