package io.tidemill.task;

import io.tidemill.checkpoint.OperatorSnapshot;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import io.tidemill.api.ProcessingClock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What stream and source tasks share: the life cycle around the chain. A task ends when its input
 * ended and every waiting batch went downstream, when it fails, or when the job is cancelled; in
 * every case its operators are closed exactly once and the job is told exactly once.
 */
abstract class TaskCore implements Tasklet {
    private static final Logger LOG = LoggerFactory.getLogger(TaskCore.class);

    final OperatorChain chain;
    final JobControl job;
    int index;
    int vertex;
    int subtask;
    int parallelism;
    /** Processing time: the wall clock, or a test's clock. */
    ProcessingClock clock = ProcessingClock.SYSTEM;
    private final String name;
    /** Input ended and END_OF_INPUT was sent; waiting for the overflow to drain. */
    boolean ended;
    /** Input ended while a firing was paused: the operators' end of input comes after it. */
    private boolean endPending;
    private boolean done;
    /** The job was told this task ended ({@link JobControl#taskDone}), which must happen once. */
    private boolean reportedDone;
    /**
     * In-flight records of the unaligned snapshot restored from, deepest operator of the chain first,
     * replayed before anything else (null when done or none): an operator's own restored input goes
     * before what its restored producers in the chain emit, as it was queued before it.
     */
    private List<InFlightRecords> inFlight;
    /** Completed checkpoints to tell the operators about, from the coordinator's thread. */
    private final ConcurrentLinkedQueue<Long> completedCheckpoints = new ConcurrentLinkedQueue<>();

    TaskCore(OperatorChain chain, JobControl job, String name) {
        this.chain = chain;
        this.job = job;
        this.name = name;
        this.cooperative = !chain.isBlocking();
    }

    @Override
    public boolean isCooperative() {
        return cooperative;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ProgressState call() {
        if (done) {
            return ProgressState.DONE;
        }
        long start = System.nanoTime();
        if (!cooperative) {
            stats.callStarted(start); // a cooperative task's calls are short: they count when they end
        }
        outputBlocked = false;
        ProgressState state = step();
        long end = System.nanoTime();
        if (state == ProgressState.DONE) {
            stats.ended(end);
        } else {
            stats.publish(start, end, state == ProgressState.MADE_PROGRESS, outputBlocked);
        }
        return state;
    }

    private ProgressState step() {
        try {
            // Before the cancellation check: a stop-with-savepoint cancels right after the savepoint
            // completed, and its sinks must still commit.
            Long completed;
            while ((completed = completedCheckpoints.poll()) != null) {
                notifyOwnCheckpointComplete(completed);
                chain.notifyCheckpointComplete(completed);
            }
            if (job.isCancelled()) {
                // Commits handed to a writer thread (a stop-with-savepoint's) end before the task does.
                return commitsDone() ? finish() : ProgressState.NO_PROGRESS;
            }
            if (inFlight != null) {
                // Before any input, barrier or snapshot: a snapshot taken earlier would miss them.
                replayInFlight();
                return ProgressState.MADE_PROGRESS;
            }
            if (!chain.drain()) {
                outputBlocked = true;
                // Backpressured: no input now, but unaligned barriers still overtake the backlog.
                return priorityWork() ? ProgressState.MADE_PROGRESS : ProgressState.NO_PROGRESS;
            }
            if (chain.hasPendingOutput() || endPending) {
                // Output paused on a full output goes first; no input, timer or barrier meanwhile.
                if (chain.resumePendingOutput() && endPending && chain.endInput()) {
                    endPending = false;
                    ended = true;
                }
                chain.flush();
                chain.drain();
                return ProgressState.MADE_PROGRESS;
            }
            if (ended) {
                return finish();
            }
            boolean progress = work();
            if (fireDueProcessingTime()) {
                progress = true;
            }
            if (progress) {
                chain.flush();
                chain.drain();
            }
            return progress ? ProgressState.MADE_PROGRESS : ProgressState.NO_PROGRESS;
        } catch (Throwable t) {
            job.fail(t);
            return finish();
        }
    }

    /**
     * Fires the processing-time timers due by now; also called between input batches, as Flink's
     * mailbox runs due timers between records. Not once the operators were told the input ended: as
     * in Flink, that ends processing time too (the end of input fired what was open, and a timer due
     * by now would fire it again).
     */
    final boolean fireDueProcessingTime() throws Exception {
        if (ended || endPending || !chain.hasProcessingTimers() || chain.hasPendingOutput()) {
            return false;
        }
        return chain.fireProcessingTime(clock.now());
    }

    /** Sets the restored in-flight records to replay first, deepest operator of the chain first. */
    final void replayFirst(List<InFlightRecords> records) {
        inFlight = records.isEmpty() ? null : records;
    }

    private void replayInFlight() {
        for (InFlightRecords r : inFlight) {
            r.replay();
        }
        inFlight = null;
        chain.finishBatch();
        chain.flush();
        chain.drain();
    }

    /** Called from any thread when checkpoint {@code checkpointId} completed. */
    public final void notifyCheckpointComplete(long checkpointId) {
        if (!done) {
            completedCheckpoints.add(checkpointId);
        }
    }

    /** Records this task took in (read from its splits, or from its input channels); for stats. */
    volatile long recordsIn;
    /** This subtask's figures for metrics, kept by the job across attempts. */
    TaskStats stats = new TaskStats("", 0);
    /** This call found an output channel full (see {@link TaskStats}). */
    private boolean outputBlocked;
    /** Whether the task runs on a cooperative worker (its calls are short). */
    private final boolean cooperative;

    /** Records {@code n} more records taken in. */
    final void countRecordsIn(long n) {
        recordsIn += n;
        stats.countRecordsIn(n);
    }

    /** The task's output watermark advanced: for the job's watermark and for metrics. */
    final void reportWatermark(long watermark) {
        stats.watermark(watermark);
        job.reportWatermark(index, watermark);
    }

    public final int index() {
        return index;
    }

    public final java.util.List<String> operatorIds() {
        return operatorIdsOfTask();
    }

    java.util.List<String> operatorIdsOfTask() {
        return chain.operatorIds();
    }

    /**
     * Synchronous part of a snapshot, between two records: every operator writes its state, the
     * result is encoded into the task's blob, then the barrier goes downstream. Writing the blob to
     * the store is asynchronous.
     */
    final void takeSnapshot(long checkpointId, long alignNanos) throws Exception {
        takeSnapshot(checkpointId, alignNanos, false);
    }

    /** With {@code priority}, the barrier overtakes the output queues (unaligned checkpoints). */
    final void takeSnapshot(long checkpointId, long alignNanos, boolean priority) throws Exception {
        long start = System.nanoTime();
        Map<String, OperatorSnapshot> ops = snapshotOperators(checkpointId);
        if (priority) {
            chain.emitPriorityBarrier(checkpointId);
        } else {
            chain.emitBarrier(checkpointId);
        }
        job.snapshotTaken(checkpointId, index, ops, System.nanoTime() - start, alignNanos);
    }

    /** The synchronous snapshot of the task's and its operators' state. */
    final Map<String, OperatorSnapshot> snapshotOperators(long checkpointId) throws Exception {
        Map<String, OperatorSnapshot> ops = new LinkedHashMap<>();
        snapshotOwnState(checkpointId, ops);
        chain.snapshot(checkpointId, ops);
        return ops;
    }

    /** All input ended: the operators' end of input, after any paused firing. */
    final void endInput() {
        if (!chain.hasPendingOutput() && chain.endInput()) {
            ended = true;
        } else {
            endPending = true;
        }
    }

    /** Work that goes on while the task's output is blocked (unaligned barriers); true if any. */
    boolean priorityWork() throws Exception {
        return false;
    }

    /** State of the task itself, before its operators' (a source's split offsets). */
    void snapshotOwnState(long checkpointId, Map<String, OperatorSnapshot> into) throws Exception {}

    /** A checkpoint completed: commit what the task itself pre-committed (a source's dead letters). */
    void notifyOwnCheckpointComplete(long checkpointId) throws Exception {}

    /**
     * False while commits the task handed over to a thread of their own are still running (a source's
     * dead letters on a writer thread); the task ends only after them.
     */
    boolean commitsDone() {
        return true;
    }

    /** Does a bounded amount of work; returns true if anything happened. */
    abstract boolean work() throws Exception;

    /** A task built but never run (the job could not start): close its operators and resources. */
    final void abandon() {
        done = true;
        chain.close();
        closeResources();
    }

    /** Releases what the task holds beyond its operators (source readers); returns the first failure. */
    Exception closeResources() {
        return null;
    }

    private ProgressState finish() {
        done = true;
        Exception closeFailure = chain.close();
        Exception resourceFailure = closeResources();
        if (closeFailure == null) {
            closeFailure = resourceFailure;
        }
        if (closeFailure != null && !job.isCancelled()) {
            job.fail(closeFailure);
        } else if (closeFailure != null) {
            LOG.debug("task {} failed to close after the job stopped: {}", name, closeFailure.toString());
        }
        reportDone();
        return ProgressState.DONE;
    }

    private void reportDone() {
        reportWatermark(Long.MAX_VALUE);
        if (!reportedDone) {
            reportedDone = true;
            job.taskDone();
        }
    }

    @Override
    public final void abort(Throwable cause) {
        job.fail(cause);
        if (!done) {
            done = true;
            try {
                chain.close();
                closeResources();
            } catch (Throwable t) {
                LOG.debug("task {} failed to close after an abort: {}", name, t.toString());
            }
        }
        reportDone();
    }
}
