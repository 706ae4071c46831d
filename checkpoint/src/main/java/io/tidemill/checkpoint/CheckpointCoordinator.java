package io.tidemill.checkpoint;

import io.tidemill.checkpoint.store.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoint coordinator's state machine; the runtime drives it with {@link #tick} and task
 * acknowledgements and carries out what it asks through a {@link Driver}.
 *
 * <p>Protocol: at most one checkpoint is in flight. It is triggered when the interval has passed
 * since the last trigger and the minimum pause since the last completion. Triggering asks the driver
 * to inject barrier {@code n} into every source split. Every task acknowledges {@code n} once it has
 * written its snapshot blob. When all tasks have, the metadata is written (that write is the commit
 * point of the checkpoint), older checkpoints beyond the retention are deleted, and the driver tells
 * the tasks (sinks commit then). A checkpoint not complete within the timeout, or any task failure,
 * aborts it; its blobs are deleted. Savepoints are checkpoints triggered on request, written under
 * their own prefix and never deleted by retention.
 *
 * <p>Invariants:
 * <ul>
 *   <li>Ids only grow, and the runtime starts a coordinator above every id an earlier one of the job
 *       triggered: a checkpoint id names one attempt's checkpoint only, and blobs are keyed by it.
 *   <li>Only the checkpoint in flight takes acknowledgements. An acknowledgement refused (its
 *       checkpoint was aborted, or the coordinator stopped) tells the writer to delete its blob: a
 *       late write never becomes part of a checkpoint.
 *   <li>A checkpoint is complete when its metadata write succeeded while it was still the one in
 *       flight. If it was aborted meanwhile (timeout, stop), the late metadata is deleted: once
 *       {@link #stop} returned, nothing of this coordinator completes.
 *   <li>The lock guards the state only. Store I/O (metadata, deletes) runs on the {@code io}
 *       executor; driver calls and futures run after the lock is released. So a slow store never
 *       holds up {@link #tick}, and the one timer thread that ticks every job's coordinator.
 *   <li>A checkpoint that fails (not written, declined, timed out) while the job runs counts; more
 *       than {@link CheckpointConfig#tolerableFailures} in a row make the coordinator stop and ask
 *       the driver to fail the job. Aborts after {@link #stop} (the job is ending) are no failures.
 * </ul>
 */
public final class CheckpointCoordinator implements CheckpointAcks {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

    /** What the coordinator asks the runtime to do; called without the coordinator's lock held. */
    public interface Driver {
        void injectBarrier(long checkpointId, boolean savepoint);

        void notifyComplete(long checkpointId);

        void notifyAborted(long checkpointId);

        /** More checkpoints failed in a row than tolerated: fail the job; the coordinator has stopped. */
        void failJob(CheckpointFailuresException cause);
    }

    /** A task of the job: which chain (vertex) and subtask, and the operator ids in it. */
    public record TaskInfo(int task, int vertex, int subtask, int parallelism, List<String> operators) {}

    /** A task's acknowledgement: its blob and what it cost. */
    public record Ack(String blob, long bytes, long syncNanos, long alignNanos) {}

    /** A completed checkpoint, for stats and tests. */
    public record Completed(long id, String prefix, long durationMillis, long bytes, long maxSyncNanos,
                            long maxAlignNanos) {}

    private final CheckpointConfig config;
    private final SnapshotStore store;
    private final String jobName;
    private final int maxParallelism;
    private final List<TaskInfo> tasks;
    private final Driver driver;
    /** Where store I/O runs: never the caller of {@link #tick}. */
    private final Executor io;
    /** The clock of {@link #tick}'s times; completion times must come from the same clock. */
    private final LongSupplier clock;
    private long nextId;
    private long lastTrigger = Long.MIN_VALUE / 2;
    private long lastCompletion = Long.MIN_VALUE / 2;
    private boolean stopped;
    private Pending pending;
    private CompletableFuture<Completed> requestedSavepoint;
    private String requestedSavepointPrefix;
    private final List<Completed> completed = new ArrayList<>();
    private final TreeMap<Long, String> retained = new TreeMap<>();
    private int failed;
    /** In flight when the coordinator stopped. */
    private int aborted;
    private int failedInARow;
    /** Operator id to name, written into the metadata (see {@link #nameOperators}). */
    private volatile Map<String, String> operatorNames = Map.of();

    /**
     * @param firstId the first checkpoint id: above every id an earlier coordinator of the job used
     * @param io runs the coordinator's store I/O (metadata writes, deletes)
     */
    public CheckpointCoordinator(CheckpointConfig config, SnapshotStore store, String jobName, int maxParallelism,
                                 List<TaskInfo> tasks, long firstId, Driver driver, Executor io) {
        this(config, store, jobName, maxParallelism, tasks, firstId, driver, io, System::currentTimeMillis);
    }

    /**
     * @param clock milliseconds on the clock that {@link #tick} is driven with; acknowledgements
     *     complete checkpoints at its time (the minimum pause and durations are measured on it)
     */
    public CheckpointCoordinator(CheckpointConfig config, SnapshotStore store, String jobName, int maxParallelism,
                                 List<TaskInfo> tasks, long firstId, Driver driver, Executor io,
                                 LongSupplier clock) {
        this.config = config;
        this.store = store;
        this.jobName = jobName;
        this.maxParallelism = maxParallelism;
        this.tasks = List.copyOf(tasks);
        this.nextId = firstId;
        this.driver = driver;
        this.io = io;
        this.clock = clock;
    }

    /**
     * The names of the job's operators by operator id, written into every checkpoint's metadata so
     * that a restore refused because the pipeline changed can name the operators (call before the
     * first trigger).
     */
    public CheckpointCoordinator nameOperators(Map<String, String> names) {
        this.operatorNames = Map.copyOf(names);
        return this;
    }

    /** Advances the state machine to {@code nowMillis}: timeouts, then maybe a new trigger. */
    public void tick(long nowMillis) {
        List<Runnable> then = new ArrayList<>(0);
        synchronized (this) {
            if (pending != null && nowMillis - pending.startMillis > config.timeout().toMillis()) {
                abort(then, "timed out after " + config.timeout().toMillis() + " ms", null);
            }
            if (pending == null && !stopped) {
                if (requestedSavepoint != null) {
                    start(then, nowMillis, true, requestedSavepointPrefix, requestedSavepoint);
                    requestedSavepoint = null;
                } else if (config.enabled() && nowMillis - lastTrigger >= config.interval().toMillis()
                        && nowMillis - lastCompletion >= config.minPause().toMillis()) {
                    start(then, nowMillis, false, "chk-" + nextId, null);
                }
            }
        }
        runAll(then);
    }

    /** Requests a savepoint under {@code prefix}; it starts when no checkpoint is in flight. */
    public synchronized CompletableFuture<Completed> triggerSavepoint(String prefix) {
        if (stopped) {
            return CompletableFuture.failedFuture(new IllegalStateException("the job is no longer running"));
        }
        CompletableFuture<Completed> f = new CompletableFuture<>();
        requestedSavepoint = f;
        requestedSavepointPrefix = prefix;
        return f;
    }

    private void start(List<Runnable> then, long now, boolean savepoint, String prefix,
                       CompletableFuture<Completed> future) {
        long id = nextId++;
        pending = new Pending(id, now, savepoint, prefix, future);
        lastTrigger = now;
        LOG.debug("job {}: triggering {} {}", jobName, savepoint ? "savepoint" : "checkpoint", id);
        then.add(() -> driver.injectBarrier(id, savepoint));
    }

    /** The prefix blobs of checkpoint {@code id} go under, or null if it is not in flight. */
    @Override
    public synchronized String prefixOf(long id) {
        return pending != null && pending.id == id ? pending.prefix : null;
    }

    /**
     * Task {@code task} wrote its blob of checkpoint {@code id}.
     *
     * @return false if the checkpoint is no longer in flight (aborted, or this coordinator stopped):
     *     the blob belongs to no checkpoint, and the caller deletes it
     */
    @Override
    public boolean acknowledge(long id, int task, Ack ack) {
        Pending commit;
        synchronized (this) {
            if (pending == null || pending.id != id) {
                return false;
            }
            pending.acks.put(task, ack);
            if (pending.acks.size() < tasks.size() || pending.metadata != null) {
                return true;
            }
            pending.metadata = metadataOf(pending);
            commit = pending;
        }
        inIo(() -> commit(commit));
        return true;
    }

    /** A task could not take or write its snapshot: abort the checkpoint in flight, a failure. */
    @Override
    public void decline(long id, String reason, Throwable cause) {
        List<Runnable> then = new ArrayList<>(0);
        synchronized (this) {
            if (pending != null && pending.id == id) {
                abort(then, reason, cause);
            }
        }
        runAll(then);
    }

    /** Stops triggering (the job is finishing or failing) and aborts what is in flight. */
    public void stop(String reason) {
        List<Runnable> then = new ArrayList<>(0);
        synchronized (this) {
            stopped = true;
            if (pending != null) {
                abort(then, reason, null);
            }
            if (requestedSavepoint != null) {
                CompletableFuture<Completed> f = requestedSavepoint;
                requestedSavepoint = null;
                then.add(() -> f.completeExceptionally(new IllegalStateException("savepoint not taken: " + reason)));
            }
        }
        runAll(then);
    }

    private CheckpointMetadata metadataOf(Pending p) {
        List<CheckpointMetadata.TaskState> states = new ArrayList<>();
        for (TaskInfo t : tasks) {
            Ack a = p.acks.get(t.task());
            states.add(new CheckpointMetadata.TaskState(t.vertex(), t.subtask(), t.parallelism(), t.operators(),
                    a.blob(), a.bytes()));
        }
        return new CheckpointMetadata(CheckpointMetadata.FORMAT_VERSION, p.id, p.savepoint, clock.getAsLong(),
                jobName, maxParallelism, states, operatorNames);
    }

    /** On the I/O executor: writes the metadata (the commit point), then completes or aborts. */
    private void commit(Pending p) {
        IOException failure = null;
        try {
            store.put(p.prefix + "/_metadata", p.metadata.toJson());
        } catch (IOException e) {
            failure = e;
        }
        List<Runnable> then = new ArrayList<>(0);
        synchronized (this) {
            if (pending != p) {
                // Aborted while the metadata was being written: a late commit must not count.
                if (failure == null) {
                    List<String> leftovers = leftoversOf(p);
                    then.add(() -> leftovers.forEach(this::deleteQuietly));
                }
            } else if (failure != null) {
                abort(then, "cannot write metadata: " + failure.getMessage(), failure);
            } else {
                complete(then, p, clock.getAsLong());
            }
        }
        runAll(then);
    }

    private void complete(List<Runnable> then, Pending p, long now) {
        pending = null;
        lastCompletion = now;
        long bytes = 0;
        long maxSync = 0;
        long maxAlign = 0;
        for (Ack a : p.acks.values()) {
            bytes += a.bytes();
            maxSync = Math.max(maxSync, a.syncNanos());
            maxAlign = Math.max(maxAlign, a.alignNanos());
        }
        Completed c = new Completed(p.id, p.prefix, now - p.startMillis, bytes, maxSync, maxAlign);
        completed.add(c);
        LOG.debug("job {}: {} {} complete in {} ms, {} bytes", jobName, p.savepoint ? "savepoint" : "checkpoint",
                p.id, c.durationMillis(), bytes);
        if (!p.savepoint) {
            failedInARow = 0;
            retained.put(p.id, p.prefix);
            List<String> expired = new ArrayList<>();
            while (retained.size() > config.retained()) {
                expired.add(retained.pollFirstEntry().getValue());
            }
            then.add(() -> inIo(() -> {
                expired.forEach(this::deleteQuietly);
                deleteIncompleteBefore(p.id);
            }));
        }
        then.add(() -> driver.notifyComplete(p.id));
        if (p.future != null) {
            then.add(() -> p.future.complete(c));
        }
    }

    /** Ends the checkpoint in flight; a failure unless the coordinator is stopped (the job is ending). */
    private void abort(List<Runnable> then, String reason, Throwable cause) {
        Pending p = pending;
        pending = null;
        String what = (p.savepoint ? "savepoint " : "checkpoint ") + p.id;
        if (stopped) {
            aborted++;
            LOG.debug("job {}: {} aborted: {}", jobName, what, reason);
        } else {
            failed++;
            LOG.warn("job {}: {} aborted: {}", jobName, what, reason);
            if (!p.savepoint && ++failedInARow > config.tolerableFailures()) {
                stopped = true;
                CheckpointFailuresException tooMany = new CheckpointFailuresException(failedInARow,
                        config.tolerableFailures(), what + ": " + reason, cause);
                then.add(() -> driver.failJob(tooMany));
            }
        }
        List<String> leftovers = leftoversOf(p);
        then.add(() -> inIo(() -> leftovers.forEach(this::deleteQuietly)));
        then.add(() -> driver.notifyAborted(p.id));
        if (p.future != null) {
            then.add(() -> p.future.completeExceptionally(
                    new IllegalStateException("savepoint " + p.id + " aborted: " + reason, cause)));
        }
    }

    /**
     * What to delete of an aborted checkpoint: its prefix, which no other checkpoint uses (ids are
     * unique). A savepoint's prefix may be requested again right away (a retry), so of a savepoint
     * only the keys it wrote: the blobs acknowledged, and the metadata once its write started. Blobs
     * acknowledged later are refused, and their writers delete them.
     */
    private static List<String> leftoversOf(Pending p) {
        if (!p.savepoint) {
            return List.of(p.prefix);
        }
        List<String> keys = new ArrayList<>();
        for (Ack a : p.acks.values()) {
            keys.add(a.blob());
        }
        if (p.metadata != null) {
            keys.add(p.prefix + "/_metadata");
        }
        return keys;
    }

    private void inIo(Runnable r) {
        try {
            io.execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("job {}: snapshot I/O not run, the job has ended", jobName);
        }
    }

    private static void runAll(List<Runnable> actions) {
        for (Runnable r : actions) {
            r.run();
        }
    }

    /**
     * Deletes what checkpoints older than {@code id} left without completing: an aborted one's blobs
     * written after its abort, or a killed process's partial checkpoint. No restore can use them.
     */
    private void deleteIncompleteBefore(long id) {
        try {
            for (long other : LoadedCheckpoint.incompleteIds(store)) {
                if (other < id) {
                    LOG.debug("job {}: deleting incomplete checkpoint {}", jobName, other);
                    deleteQuietly("chk-" + other);
                }
            }
        } catch (IOException e) {
            LOG.warn("job {}: cannot list {} to delete incomplete checkpoints: {}", jobName, store.describe(),
                    e.getMessage());
        }
    }

    private void deleteQuietly(String prefix) {
        try {
            store.delete(prefix);
        } catch (IOException e) {
            LOG.warn("job {}: cannot delete {}: {}", jobName, prefix, e.getMessage());
        }
    }

    /** Registers checkpoints found in the store at start, so retention also covers them. */
    public synchronized void adoptRetained(long id, String prefix) {
        retained.put(id, prefix);
    }

    public synchronized List<Completed> completed() {
        return List.copyOf(completed);
    }

    /** Checkpoints and savepoints in flight when the coordinator stopped (the job was ending or failing). */
    public synchronized int abortedCount() {
        return aborted;
    }

    /** Checkpoints and savepoints that failed while the job ran (not those aborted as it ended). */
    public synchronized int failedCount() {
        return failed;
    }

    /** The id the next checkpoint would take: above every id this coordinator triggered. */
    public synchronized long nextId() {
        return nextId;
    }

    public synchronized boolean inFlight() {
        return pending != null;
    }

    private static final class Pending {
        final long id;
        final long startMillis;
        final boolean savepoint;
        final String prefix;
        final CompletableFuture<Completed> future;
        final Map<Integer, Ack> acks = new HashMap<>();
        /** Set once every task acknowledged: the metadata write is under way. */
        CheckpointMetadata metadata;

        Pending(long id, long startMillis, boolean savepoint, String prefix, CompletableFuture<Completed> future) {
            this.id = id;
            this.startMillis = startMillis;
            this.savepoint = savepoint;
            this.prefix = prefix;
            this.future = future;
        }
    }
}
