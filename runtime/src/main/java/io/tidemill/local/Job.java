package io.tidemill.local;

import io.tidemill.api.JobResult;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.checkpoint.LoadedCheckpoint;
import io.tidemill.checkpoint.SnapshotUpload;
import io.tidemill.checkpoint.codec.CorruptSnapshotException;
import io.tidemill.plan.ExecutionPlan;
import io.tidemill.scheduler.CooperativeScheduler;
import io.tidemill.task.TaskBuilder;
import io.tidemill.task.Tasklet;
import io.tidemill.task.TaskCoreAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import io.tidemill.plan.Vertex;
import io.tidemill.task.TaskStats;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running job on the local cluster: runs attempts ({@link Execution}s) of its tasks, drives their
 * checkpoint coordinators, and restarts from the latest completed checkpoint after a failure, as the
 * restart strategy allows. Each attempt has its own tasks and channels; an attempt ends when all its
 * tasks have ended, and only then does the next one start.
 *
 * <p>Each attempt has its own checkpoint coordinator, and its ids start above every id an earlier
 * attempt triggered ({@link #nextCheckpointId}): a blob of an aborted checkpoint still queued for
 * writing when its attempt ended can only land under its own id, which no later checkpoint uses,
 * and its acknowledgement, refused by its stopped coordinator, deletes it. The job's store I/O runs
 * on its own {@link IoLane}, restarts on the I/O pool, never on the timer thread all jobs share.
 */
final class Job implements JobHandle {
    private static final Logger LOG = LoggerFactory.getLogger(Job.class);

    private final String name;
    private final ExecutionPlan plan;
    private final JobOptions options;
    private final TaskBuilder.Config config;
    private final CooperativeScheduler scheduler;
    private final ScheduledExecutorService timer;
    /** Snapshot writes and coordinator I/O of this job. */
    private final IoLane io;
    /** Writes task snapshots to the store (a job without one takes none). */
    private final SnapshotUpload upload;
    /** The cluster's I/O pool, for restarts: not behind this job's writes, which may hang. */
    private final Executor ioPool;
    private final long startNanos = System.nanoTime();
    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private final List<CheckpointCoordinator.Completed> completedCheckpoints = new ArrayList<>();
    /** Failed checkpoints of ended attempts. */
    private int failedCheckpoints;
    /** Aborted checkpoints of ended attempts. */
    private int abortedCheckpoints;
    /** Per task index, for metrics: kept across attempts, so counters only grow. */
    private final List<TaskStats> taskStats = new ArrayList<>();
    private final List<Consumer<CheckpointCoordinator.Completed>> checkpointListeners = new CopyOnWriteArrayList<>();
    /**
     * The first id the next attempt's coordinator may use: above every checkpoint id an attempt of
     * this job triggered. (The job's master would carry it the same way across attempts.)
     */
    private long nextCheckpointId = 1;
    private volatile Execution current;
    /** The snapshot the job started from (null: a fresh start); a restart without newer ones uses it. */
    private LoadedCheckpoint initialRestore;
    private volatile boolean cancelRequested;
    private volatile boolean stopAfterSavepoint;
    private int restarts;
    private volatile String lastFailure;

    Job(String name, ExecutionPlan plan, JobOptions options, TaskBuilder.Config config, CooperativeScheduler scheduler,
        ScheduledExecutorService timer, Executor io) {
        this.name = name;
        this.plan = plan;
        this.options = options;
        this.config = config;
        this.scheduler = scheduler;
        this.timer = timer;
        // Two writes at a time: as many as the cluster's I/O pool used to have for all jobs.
        this.io = new IoLane(io, 2);
        this.ioPool = io;
        this.upload = new SnapshotUpload(options.store(), this.io, name); // only used with a store
        for (Vertex v : plan.vertices()) {
            for (int s = 0; s < v.parallelism(); s++) {
                taskStats.add(new TaskStats(v.name(), s));
            }
        }
    }

    /** What the job's executions report to it. */
    private final Execution.Owner owner = new Execution.Owner() {
        @Override
        public void executionEnded(Execution e) {
            attemptEnded(e);
        }

        @Override
        public void countRecordsIn(long n) {
            recordsIn.add(n);
        }

        @Override
        public void countLateRecord() {
            late.increment();
        }

        @Override
        public TaskStats taskStats(int task) {
            return Job.this.taskStats.get(task);
        }

        @Override
        public void checkpointCompleted(CheckpointCoordinator coordinator, long checkpointId) {
            if (checkpointListeners.isEmpty() || coordinator == null) {
                return;
            }
            List<CheckpointCoordinator.Completed> done = coordinator.completed();
            for (int i = done.size() - 1; i >= 0; i--) {
                if (done.get(i).id() == checkpointId) {
                    for (Consumer<CheckpointCoordinator.Completed> l : checkpointListeners) {
                        l.accept(done.get(i));
                    }
                    return;
                }
            }
        }
    };

    /** Starts the first attempt, from the snapshot the options name, if any. */
    void start() throws Exception {
        LoadedCheckpoint restore = null;
        if (options.restoreFrom() != null) {
            restore = LoadedCheckpoint.load(options.restoreFrom().store(), options.restoreFrom().prefix());
        } else if (options.restoreLatest() && options.store() != null) {
            restore = LoadedCheckpoint.latest(options.store());
        }
        if (restore != null) {
            LOG.info("job {}: restoring from {} (checkpoint {})", name, restore.prefix(),
                    restore.metadata().checkpointId());
        }
        initialRestore = restore;
        startAttempt(restore);
    }

    private void startAttempt(LoadedCheckpoint restore) throws Exception {
        Execution a = new Execution(owner, upload);
        List<Tasklet> tasks = new TaskBuilder(plan, a, config, restore, options.checkpoints().mode()).build();
        a.tasks = tasks;
        a.expect(tasks.size());
        if (options.store() != null) {
            List<Long> ids = LoadedCheckpoint.completedIds(options.store());
            // After every id this job triggered, and every id in the store (an earlier run's).
            long firstId = Math.max(nextCheckpointId, LoadedCheckpoint.highestIdInStore(options.store()) + 1);
            if (restore != null) {
                firstId = Math.max(firstId, restore.metadata().checkpointId() + 1);
            }
            List<CheckpointCoordinator.TaskInfo> infos = new ArrayList<>();
            for (Tasklet t : tasks) {
                infos.add(TaskCoreAccess.info(t, plan));
            }
            a.coordinator = new CheckpointCoordinator(options.checkpoints(), options.store(), name,
                    plan.maxParallelism(), infos, firstId, a, io).nameOperators(TaskBuilder.operatorNames(plan));
            for (Long id : ids) {
                a.coordinator.adoptRetained(id, "chk-" + id);
            }
            a.ticker = timer.scheduleAtFixedRate(() -> a.coordinator.tick(System.currentTimeMillis()), 10, 10,
                    TimeUnit.MILLISECONDS);
        }
        current = a;
        if (cancelRequested) {
            a.cancel();
        }
        scheduler.schedule(tasks);
    }

    /** All tasks of an attempt ended: finish the job, or restart it. */
    private void attemptEnded(Execution a) {
        if (a.ticker != null) {
            a.ticker.cancel(false);
        }
        if (a.coordinator != null) {
            a.coordinator.stop("the job attempt ended");
            synchronized (completedCheckpoints) {
                completedCheckpoints.addAll(a.coordinator.completed());
                failedCheckpoints += a.coordinator.failedCount();
                abortedCheckpoints += a.coordinator.abortedCount();
            }
            nextCheckpointId = Math.max(nextCheckpointId, a.coordinator.nextId());
        }
        Throwable failure = a.failure();
        if (failure != null) {
            lastFailure = failure.getMessage() != null ? failure.getMessage() : failure.toString();
        }
        if (failure == null) {
            if (cancelRequested && !stopAfterSavepoint) {
                result.completeExceptionally(new CancellationException("job '" + name + "' was cancelled"));
            } else {
                result.complete(summary());
            }
            return;
        }
        if (cancelRequested || restarts >= options.restart().maxRestarts()) {
            result.completeExceptionally(new JobFailedException(name, failure));
            return;
        }
        restarts++;
        Duration delay = options.restart().delayBefore(restarts);
        LOG.warn("job {}: attempt failed ({}); restart {} of {} in {} ms", name, failure.getMessage(), restarts,
                options.restart().maxRestarts(), delay.toMillis());
        // The restart reads the store: on the I/O pool, not on the timer thread all jobs share.
        timer.schedule(() -> {
            try {
                ioPool.execute(this::restart);
            } catch (RejectedExecutionException e) {
                result.completeExceptionally(new JobFailedException(name, failure));
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void restart() {
        if (cancelRequested) {
            result.completeExceptionally(new CancellationException("job '" + name + "' was cancelled"));
            return;
        }
        try {
            startAttempt(restorePoint());
        } catch (Exception e) {
            result.completeExceptionally(new JobFailedException(name, e));
        }
    }

    /**
     * Where a restart resumes: the newest checkpoint this job completed that still loads, else the
     * snapshot it started from. Never a checkpoint it did not take itself: a store may hold newer
     * ones from an earlier run that a restore from an older snapshot has already superseded. A store
     * that cannot be read fails the restart.
     */
    private LoadedCheckpoint restorePoint() throws Exception {
        List<CheckpointCoordinator.Completed> done;
        synchronized (completedCheckpoints) {
            done = new ArrayList<>(completedCheckpoints);
        }
        for (int i = done.size() - 1; i >= 0; i--) {
            CheckpointCoordinator.Completed c = done.get(i);
            if (c.prefix().startsWith("chk-")) {
                try {
                    return LoadedCheckpoint.load(options.store(), c.prefix());
                } catch (CorruptSnapshotException e) { // an I/O error fails the job instead, see LoadedCheckpoint
                    LOG.warn("job {}: checkpoint {} cannot be restored ({}); trying the previous one", name, c.id(),
                            e.getMessage());
                }
            }
        }
        return initialRestore;
    }

    private JobResult summary() {
        return new JobResult(name, Duration.ofNanos(System.nanoTime() - startNanos), recordsIn.sum(), late.sum(),
                completedCheckpoints().size(), failedCheckpoints());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public CompletableFuture<JobResult> result() {
        return result;
    }

    @Override
    public void cancel() {
        cancelRequested = true;
        Execution a = current;
        if (a != null) {
            a.cancel();
        }
    }

    @Override
    public CompletableFuture<CheckpointCoordinator.Completed> triggerSavepoint(String prefix) {
        Execution a = current;
        if (a == null || a.coordinator == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(
                    "job '" + name + "' has no snapshot store: savepoints need one"));
        }
        return a.coordinator.triggerSavepoint(prefix);
    }

    @Override
    public CompletableFuture<CheckpointCoordinator.Completed> stopWithSavepoint(String prefix) {
        return triggerSavepoint(prefix).thenApply(c -> {
            stopAfterSavepoint = true;
            cancel();
            return c;
        });
    }

    @Override
    public List<CheckpointCoordinator.Completed> completedCheckpoints() {
        List<CheckpointCoordinator.Completed> all;
        synchronized (completedCheckpoints) {
            all = new ArrayList<>(completedCheckpoints);
        }
        Execution a = current;
        if (a != null && a.coordinator != null && !a.isOver()) {
            all.addAll(a.coordinator.completed());
        }
        return all;
    }

    @Override
    public int failedCheckpoints() {
        int failed;
        synchronized (completedCheckpoints) {
            failed = failedCheckpoints;
        }
        Execution a = current;
        if (a != null && a.coordinator != null && !a.isOver()) {
            failed += a.coordinator.failedCount();
        }
        return failed;
    }

    @Override
    public int abortedCheckpoints() {
        int aborted;
        synchronized (completedCheckpoints) {
            aborted = abortedCheckpoints;
        }
        Execution a = current;
        if (a != null && a.coordinator != null && !a.isOver()) {
            aborted += a.coordinator.abortedCount();
        }
        return aborted;
    }

    @Override
    public void onCheckpointCompleted(Consumer<CheckpointCoordinator.Completed> listener) {
        checkpointListeners.add(listener);
    }

    @Override
    public List<TaskStats> taskStats() {
        return List.copyOf(taskStats);
    }

    @Override
    public int restarts() {
        return restarts;
    }

    @Override
    public long recordsIn() {
        return recordsIn.sum();
    }

    @Override
    public long lateRecordsDropped() {
        return late.sum();
    }

    @Override
    public long watermark() {
        Execution a = current;
        return a == null ? Long.MIN_VALUE : a.watermark();
    }

    @Override
    public ExecutionPlan plan() {
        return plan;
    }

    @Override
    public String lastFailure() {
        return lastFailure;
    }
}
