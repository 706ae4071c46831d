package io.tidemill.local;

import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.checkpoint.CheckpointFailuresException;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.SnapshotUpload;
import io.tidemill.task.JobControl;
import io.tidemill.task.SourceTask;
import io.tidemill.task.TaskCoreAccess;
import io.tidemill.task.TaskStats;
import io.tidemill.task.Tasklet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One execution of a job: a run of its tasks, from a snapshot or from scratch, with its own
 * checkpoint coordinator. Its tasks report to it ({@link JobControl}) and the coordinator drives
 * them through it ({@link CheckpointCoordinator.Driver}). Invariants: it ends once, when its last
 * task ended, and only then tells its owner (which finishes the job or starts the next execution);
 * the first failure wins and stops its coordinator, so a failed execution completes no checkpoint.
 */
final class Execution implements JobControl, CheckpointCoordinator.Driver {
    /** What an execution reports to its job. */
    interface Owner {
        void executionEnded(Execution execution);

        void countRecordsIn(long n);

        void countLateRecord();

        /** The figures of task {@code task}, the same object in every execution of the job. */
        TaskStats taskStats(int task);

        /** Checkpoint {@code checkpointId} of this execution's coordinator completed. */
        void checkpointCompleted(CheckpointCoordinator coordinator, long checkpointId);
    }

    private final Owner owner;
    private final SnapshotUpload upload;
    private final AtomicInteger liveTasks = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile AtomicLongArray watermarks = new AtomicLongArray(0);
    private volatile boolean cancelled;
    private volatile boolean over;
    List<Tasklet> tasks = List.of();
    CheckpointCoordinator coordinator;
    ScheduledFuture<?> ticker;

    Execution(Owner owner, SnapshotUpload upload) {
        this.owner = owner;
        this.upload = upload;
    }

    /** The failure that ended this execution, or null. */
    Throwable failure() {
        return failure.get();
    }

    /** Asks every task to stop; they close and the execution ends. */
    void cancel() {
        cancelled = true;
    }

    void expect(int n) {
        AtomicLongArray w = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            w.set(i, Long.MIN_VALUE);
        }
        watermarks = w;
        liveTasks.set(n);
    }

    boolean isOver() {
        return over;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void fail(Throwable cause) {
        if (failure.compareAndSet(null, cause) && coordinator != null) {
            coordinator.stop("a task failed");
        }
        cancelled = true;
    }

    @Override
    public void taskDone() {
        if (liveTasks.decrementAndGet() == 0) {
            over = true;
            owner.executionEnded(this);
        }
    }

    @Override
    public void countRecordsIn(long n) {
        owner.countRecordsIn(n);
    }

    @Override
    public void countLateRecord() {
        owner.countLateRecord();
    }

    @Override
    public TaskStats taskStats(int task, String vertex, int subtask) {
        return owner.taskStats(task);
    }

    @Override
    public void snapshotTaken(long checkpointId, int task, Map<String, OperatorSnapshot> operators,
                              long syncNanos, long alignNanos) {
        upload.upload(coordinator, checkpointId, task, operators, syncNanos, alignNanos);
    }

    @Override
    public void sourceEnded() {
        CheckpointCoordinator c = coordinator;
        if (c != null) {
            c.stop("a source finished");
        }
    }

    @Override
    public void reportWatermark(int task, long watermark) {
        AtomicLongArray w = watermarks;
        if (task < w.length()) {
            w.set(task, watermark);
        }
    }

    long watermark() {
        AtomicLongArray w = watermarks;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < w.length(); i++) {
            min = Math.min(min, w.get(i));
        }
        return w.length() == 0 ? Long.MIN_VALUE : min;
    }

    // ---- CheckpointCoordinator.Driver ----

    @Override
    public void injectBarrier(long checkpointId, boolean savepoint) {
        for (Tasklet t : tasks) {
            if (t instanceof SourceTask<?> s) {
                s.injectBarrier(checkpointId);
            }
        }
    }

    @Override
    public void notifyComplete(long checkpointId) {
        owner.checkpointCompleted(coordinator, checkpointId);
        for (Tasklet t : tasks) {
            TaskCoreAccess.notifyComplete(t, checkpointId);
        }
    }

    @Override
    public void notifyAborted(long checkpointId) {}

    @Override
    public void failJob(CheckpointFailuresException cause) {
        fail(cause);
    }
}
