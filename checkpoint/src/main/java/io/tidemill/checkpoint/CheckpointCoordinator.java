package io.tidemill.checkpoint;

import io.tidemill.checkpoint.store.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
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
 */
public final class CheckpointCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointCoordinator.class);

    /** What the coordinator asks the runtime to do. */
    public interface Driver {
        void injectBarrier(long checkpointId, boolean savepoint);

        void notifyComplete(long checkpointId);

        void notifyAborted(long checkpointId);
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
    private int aborted;

    public CheckpointCoordinator(CheckpointConfig config, SnapshotStore store, String jobName, int maxParallelism,
                                 List<TaskInfo> tasks, long firstId, Driver driver) {
        this(config, store, jobName, maxParallelism, tasks, firstId, driver, System::currentTimeMillis);
    }

    /**
     * @param clock milliseconds on the clock that {@link #tick} is driven with; acknowledgements
     *     complete checkpoints at its time (the minimum pause and durations are measured on it)
     */
    public CheckpointCoordinator(CheckpointConfig config, SnapshotStore store, String jobName, int maxParallelism,
                                 List<TaskInfo> tasks, long firstId, Driver driver, LongSupplier clock) {
        this.config = config;
        this.store = store;
        this.jobName = jobName;
        this.maxParallelism = maxParallelism;
        this.tasks = List.copyOf(tasks);
        this.nextId = firstId;
        this.driver = driver;
        this.clock = clock;
    }

    /** Advances the state machine to {@code nowMillis}: timeouts, then maybe a new trigger. */
    public synchronized void tick(long nowMillis) {
        if (pending != null && nowMillis - pending.startMillis > config.timeout().toMillis()) {
            abort("timed out after " + config.timeout().toMillis() + " ms");
        }
        if (pending != null || stopped) {
            return;
        }
        if (requestedSavepoint != null) {
            start(nowMillis, true, requestedSavepointPrefix, requestedSavepoint);
            requestedSavepoint = null;
            return;
        }
        if (config.enabled() && nowMillis - lastTrigger >= config.interval().toMillis()
                && nowMillis - lastCompletion >= config.minPause().toMillis()) {
            start(nowMillis, false, "chk-" + nextId, null);
        }
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

    private void start(long now, boolean savepoint, String prefix, CompletableFuture<Completed> future) {
        long id = nextId++;
        pending = new Pending(id, now, savepoint, prefix, future);
        lastTrigger = now;
        LOG.debug("job {}: triggering {} {}", jobName, savepoint ? "savepoint" : "checkpoint", id);
        driver.injectBarrier(id, savepoint);
    }

    /** The prefix blobs of checkpoint {@code id} go under, or null if it is not in flight. */
    public synchronized String prefixOf(long id) {
        return pending != null && pending.id == id ? pending.prefix : null;
    }

    public synchronized void acknowledge(long id, int task, Ack ack) {
        if (pending == null || pending.id != id) {
            return;
        }
        pending.acks.put(task, ack);
        if (pending.acks.size() == tasks.size()) {
            complete(clock.getAsLong());
        }
    }

    /** A task could not take its snapshot (or failed): abort the checkpoint in flight. */
    public synchronized void decline(long id, String reason) {
        if (pending != null && pending.id == id) {
            abort(reason);
        }
    }

    /** Stops triggering (the job is finishing or failing) and aborts what is in flight. */
    public synchronized void stop(String reason) {
        stopped = true;
        if (pending != null) {
            abort(reason);
        }
        if (requestedSavepoint != null) {
            requestedSavepoint.completeExceptionally(new IllegalStateException("savepoint not taken: " + reason));
            requestedSavepoint = null;
        }
    }

    private void complete(long now) {
        Pending p = pending;
        List<CheckpointMetadata.TaskState> states = new ArrayList<>();
        long bytes = 0;
        long maxSync = 0;
        long maxAlign = 0;
        for (TaskInfo t : tasks) {
            Ack a = p.acks.get(t.task());
            states.add(new CheckpointMetadata.TaskState(t.vertex(), t.subtask(), t.parallelism(), t.operators(),
                    a.blob(), a.bytes()));
            bytes += a.bytes();
            maxSync = Math.max(maxSync, a.syncNanos());
            maxAlign = Math.max(maxAlign, a.alignNanos());
        }
        CheckpointMetadata meta = new CheckpointMetadata(CheckpointMetadata.FORMAT_VERSION, p.id, p.savepoint, now,
                jobName, maxParallelism, states);
        try {
            store.put(p.prefix + "/_metadata", meta.toJson());
        } catch (IOException e) {
            abort("cannot write metadata: " + e.getMessage());
            return;
        }
        pending = null;
        lastCompletion = now;
        Completed c = new Completed(p.id, p.prefix, now - p.startMillis, bytes, maxSync, maxAlign);
        completed.add(c);
        LOG.debug("job {}: {} {} complete in {} ms, {} bytes", jobName, p.savepoint ? "savepoint" : "checkpoint",
                p.id, c.durationMillis(), bytes);
        if (!p.savepoint) {
            retained.put(p.id, p.prefix);
            while (retained.size() > config.retained()) {
                Map.Entry<Long, String> oldest = retained.pollFirstEntry();
                deleteQuietly(oldest.getValue());
            }
            deleteIncompleteBefore(p.id);
        }
        driver.notifyComplete(p.id);
        if (p.future != null) {
            p.future.complete(c);
        }
    }

    private void abort(String reason) {
        Pending p = pending;
        pending = null;
        aborted++;
        if (stopped) {
            // The job is finishing or failing: an expected end of the checkpoint in flight.
            LOG.debug("job {}: {} {} aborted: {}", jobName, p.savepoint ? "savepoint" : "checkpoint", p.id, reason);
        } else {
            LOG.warn("job {}: {} {} aborted: {}", jobName, p.savepoint ? "savepoint" : "checkpoint", p.id, reason);
        }
        deleteQuietly(p.prefix);
        driver.notifyAborted(p.id);
        if (p.future != null) {
            p.future.completeExceptionally(new IllegalStateException("savepoint " + p.id + " aborted: " + reason));
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

    public synchronized int abortedCount() {
        return aborted;
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

        Pending(long id, long startMillis, boolean savepoint, String prefix, CompletableFuture<Completed> future) {
            this.id = id;
            this.startMillis = startMillis;
            this.savepoint = savepoint;
            this.prefix = prefix;
            this.future = future;
        }
    }
}
