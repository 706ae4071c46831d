package io.tidemill.cluster;

import io.tidemill.checkpoint.CheckpointAcks;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.SnapshotUpload;
import io.tidemill.cluster.ControlMessage.Kind;
import io.tidemill.operator.OperatorException;
import io.tidemill.task.JobControl;
import io.tidemill.task.SourceTask;
import io.tidemill.task.TaskCoreAccess;
import io.tidemill.task.TaskStats;
import io.tidemill.task.Tasklet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * This member's part of one execution of a job: its tasks, what they report, and the messages it
 * sends the master about them. Invariants: it reports FINISHED exactly once, after its last task
 * ended (or at once if cancelled before it started); the first failure wins and is reported once;
 * snapshot blobs go to the job's store from here and only the acknowledgement travels to the master.
 */
final class MemberExecution implements JobControl, CheckpointAcks {
    final String jobId;
    final long id;
    /** The master that deployed this execution: every report goes to it. */
    final String master;
    final int quorum;
    private final ControlPlane control;
    private final SnapshotUpload upload;
    private final Runnable onEnd;
    private final AtomicInteger liveTasks = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Map<Long, String> prefixes = new ConcurrentHashMap<>();
    private final LongAdder recordsIn = new LongAdder();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final AtomicLongArray watermarks;
    private volatile boolean cancelled;
    private volatile boolean started;
    volatile List<Tasklet> tasks = List.of();
    /** Closes the job's class loader and data-plane channels of this execution. */
    AutoCloseable resources = () -> {};

    MemberExecution(String jobId, long id, String master, int quorum, ControlPlane control, SnapshotUpload upload,
                    int totalTasks, Runnable onEnd) {
        this.jobId = jobId;
        this.id = id;
        this.master = master;
        this.quorum = quorum;
        this.control = control;
        this.upload = upload;
        this.onEnd = onEnd;
        this.watermarks = new AtomicLongArray(totalTasks);
        for (int i = 0; i < totalTasks; i++) {
            watermarks.set(i, Long.MIN_VALUE);
        }
    }

    /** Completes when every local task ended and the master was told. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    /** The tasks are built; false (and they are closed) if the execution was cancelled meanwhile. */
    boolean deployed(List<Tasklet> built) {
        synchronized (this) {
            if (!cancelled) {
                tasks = built;
                liveTasks.set(built.size());
                return true;
            }
        }
        for (Tasklet t : built) {
            TaskCoreAccess.abandon(t);
        }
        return false;
    }

    /** Runs the tasks; false if the execution was cancelled meanwhile (then it has ended). */
    synchronized boolean start(io.tidemill.scheduler.CooperativeScheduler scheduler) {
        if (cancelled) {
            return false;
        }
        started = true;
        if (tasks.isEmpty()) {
            end();
            return true;
        }
        scheduler.schedule(tasks);
        return true;
    }

    /** Stops the tasks (they close at their next step); an execution that never started ends now. */
    void cancel() {
        boolean endNow;
        synchronized (this) {
            cancelled = true;
            endNow = !started && !ended.isDone();
            started = true; // a later start must not run it
        }
        if (endNow) {
            for (Tasklet t : tasks) {
                TaskCoreAccess.abandon(t);
            }
            end();
        }
    }

    boolean isRunning() {
        return !ended.isDone();
    }

    long recordsIn() {
        return recordsIn.sum();
    }

    /**
     * Per local task: {@code [task index, watermark, records in, records out, busy microseconds,
     * backpressured microseconds]} (see {@link ControlMessage.Deploy#stats}).
     */
    List<long[]> taskStats() {
        AtomicLongArray w = watermarks;
        List<long[]> out = new java.util.ArrayList<>();
        for (Tasklet t : tasks) {
            int i = TaskCoreAccess.index(t);
            TaskStats s = TaskCoreAccess.stats(t);
            out.add(new long[] {i, i < w.length() ? w.get(i) : Long.MIN_VALUE, TaskCoreAccess.recordsIn(t),
                    s.recordsOut(), (long) (s.busySeconds() * 1e6), (long) (s.backpressuredSeconds() * 1e6)});
        }
        return out;
    }

    // ---- JobControl ----

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void fail(Throwable cause) {
        fail(cause, null);
    }

    /** Fails the execution here; {@code lostPeer}: the member whose connection dropped, if that was the cause. */
    void fail(Throwable cause, String lostPeer) {
        if (failure.compareAndSet(null, cause)) {
            ControlMessage m = ControlMessage.of(Kind.FAILED, control.self(), jobId, id).withText(describe(cause));
            control.send(master, lostPeer == null ? m : m.withCheckpoint(0, lostPeer));
        }
        cancelled = true;
    }

    static String describe(Throwable t) {
        if (t instanceof OperatorException) {
            return t.getMessage();
        }
        String m = t.getMessage();
        return m == null ? t.toString() : t.getClass().getSimpleName() + ": " + m;
    }

    @Override
    public void taskDone() {
        if (liveTasks.decrementAndGet() == 0) {
            end();
        }
    }

    private void end() {
        JobLoader.closeQuietly(resources);
        Throwable f = failure.get();
        control.send(master, ControlMessage.of(Kind.FINISHED, control.self(), jobId, id)
                .withText(f == null ? null : describe(f)));
        ended.complete(null);
        onEnd.run();
    }

    @Override
    public void countRecordsIn(long n) {
        recordsIn.add(n);
    }

    @Override
    public void countLateRecord() {}

    @Override
    public void snapshotTaken(long checkpointId, int task, Map<String, OperatorSnapshot> operators, long syncNanos,
                              long alignNanos) {
        upload.upload(this, checkpointId, task, operators, syncNanos, alignNanos);
    }

    @Override
    public void sourceEnded() {
        control.send(master, ControlMessage.of(Kind.SOURCE_ENDED, control.self(), jobId, id));
    }

    @Override
    public void reportWatermark(int task, long watermark) {
        AtomicLongArray w = watermarks;
        if (task < w.length()) {
            w.set(task, watermark);
        }
    }

    // ---- checkpoints ----

    void injectBarrier(long checkpointId, String prefix) {
        prefixes.put(checkpointId, prefix);
        for (Tasklet t : tasks) {
            if (t instanceof SourceTask<?> s) {
                s.injectBarrier(checkpointId);
            }
        }
    }

    void notifyComplete(long checkpointId) {
        prefixes.keySet().removeIf(id -> id <= checkpointId);
        for (Tasklet t : tasks) {
            TaskCoreAccess.notifyComplete(t, checkpointId);
        }
    }

    @Override
    public String prefixOf(long checkpointId) {
        return cancelled ? null : prefixes.get(checkpointId);
    }

    @Override
    public boolean acknowledge(long checkpointId, int task, CheckpointCoordinator.Ack ack) {
        control.send(master, new ControlMessage(Kind.ACK, control.self(), jobId, id, checkpointId, ack.blob(), task,
                ack.bytes(), ack.syncNanos(), ack.alignNanos(), null, null));
        return true;
    }

    @Override
    public void decline(long checkpointId, String reason, Throwable cause) {
        control.send(master, ControlMessage.of(Kind.DECLINE, control.self(), jobId, id)
                .withCheckpoint(checkpointId, null).withText(reason));
    }
}
