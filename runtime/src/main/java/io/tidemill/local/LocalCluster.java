package io.tidemill.local;

import io.tidemill.api.JobResult;
import io.tidemill.api.Pipeline;
import io.tidemill.api.ProcessingClock;
import io.tidemill.operator.OperatorException;
import io.tidemill.plan.ExecutionPlan;
import io.tidemill.plan.Planner;
import io.tidemill.scheduler.CooperativeScheduler;
import io.tidemill.scheduler.DaemonThreads;
import io.tidemill.task.TaskBuilder;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded cluster in this JVM: a pool of cooperative worker threads running the tasks of any
 * number of jobs. Used by tests, the CLI's local mode and {@link Pipeline#execute()}.
 *
 * <pre>{@code
 * try (LocalCluster cluster = LocalCluster.start()) {
 *     JobResult r = cluster.execute(pipeline);
 * }
 * }</pre>
 */
public final class LocalCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCluster.class);

    private final CooperativeScheduler scheduler;
    private final TaskBuilder.Config config;
    private final List<Job> jobs = new CopyOnWriteArrayList<>();
    /** Drives checkpoint coordinators and restart delays. */
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("tidemill-coordinator"));
    /**
     * Snapshot store I/O: blocking I/O never runs on the cooperative workers nor on the timer. Each
     * job takes at most two of its threads at a time ({@link IoLane}), so a job with a hanging store
     * holds two threads and delays no other job.
     */
    private final ExecutorService io = Executors.newCachedThreadPool(DaemonThreads.named("tidemill-snapshot-io"));

    private LocalCluster(int threads, TaskBuilder.Config config) {
        this.scheduler = new CooperativeScheduler(threads, "tidemill");
        this.config = config;
    }


    /** A cluster with one worker thread per core. */
    public static LocalCluster start() {
        return start(Runtime.getRuntime().availableProcessors());
    }

    public static LocalCluster start(int workerThreads) {
        return new LocalCluster(workerThreads, TaskBuilder.Config.DEFAULT);
    }

    /**
     * A cluster whose jobs read processing time from {@code clock}: with a
     * {@link io.tidemill.api.ManualClock}, a test decides when processing-time timers and windows fire.
     */
    public static LocalCluster start(int workerThreads, ProcessingClock clock) {
        return new LocalCluster(workerThreads, TaskBuilder.Config.DEFAULT.withClock(clock));
    }

    public static LocalCluster start(int workerThreads, TaskBuilder.Config config) {
        return new LocalCluster(workerThreads, config);
    }

    /** Plans and starts a job; invalid pipelines are rejected here, naming the operators. */
    public JobHandle submit(Pipeline pipeline) {
        return submit(pipeline, JobOptions.DEFAULT);
    }

    /** Plans and starts a job with checkpoints, restarts or a snapshot to start from. */
    public JobHandle submit(Pipeline pipeline, JobOptions options) {
        ExecutionPlan plan = Planner.plan(pipeline);
        Job job = new Job(pipeline.name(), plan, options, config, scheduler, timer, io);
        LOG.debug("starting job {} with plan:\n{}", pipeline.name(), plan.describe());
        jobs.add(job);
        job.result().whenComplete((r, t) -> jobs.remove(job));
        try {
            job.start();
        } catch (OperatorException e) {
            jobs.remove(job);
            throw new JobFailedException(pipeline.name(), e);
        } catch (Exception e) {
            jobs.remove(job);
            throw new JobFailedException(pipeline.name(), e);
        }
        return job;
    }

    /** Runs a job to completion; throws {@link JobFailedException} if it fails. */
    public JobResult execute(Pipeline pipeline) {
        return submit(pipeline).join();
    }

    public JobResult execute(Pipeline pipeline, JobOptions options) {
        return submit(pipeline, options).join();
    }

    /** Cancels running jobs and stops the worker threads. */
    @Override
    public void close() {
        for (Job j : jobs) {
            j.cancel();
        }
        for (Job j : jobs) {
            try {
                j.result().exceptionally(t -> null).get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("job {} did not stop within 10 s", j.name());
            }
        }
        timer.shutdownNow();
        io.shutdown();
        try {
            io.awaitTermination(10, TimeUnit.SECONDS);
            scheduler.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Completes when every job submitted so far has ended. */
    public CompletableFuture<Void> idle() {
        return CompletableFuture.allOf(jobs.stream().map(j -> j.result().exceptionally(t -> null))
                .toArray(CompletableFuture[]::new));
    }
}
