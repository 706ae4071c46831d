package io.tidemill.task;

import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.TaskSnapshot;
import java.util.Map;

/** What a task reports to, and learns from, the job it belongs to. */
public interface JobControl {
    boolean isCancelled();

    /** Fails the job; the first failure wins and every task stops. */
    void fail(Throwable cause);

    /** Called exactly once per task when it reaches {@link ProgressState#DONE}. */
    void taskDone();

    void countRecordsIn(long n);

    void countLateRecord();

    /**
     * Task {@code task} took its snapshot for checkpoint {@code checkpointId} (synchronous part done);
     * the job encodes the blob (running the operators' deferred writes, {@link TaskSnapshot#encode})
     * and stores it asynchronously, then acknowledges it to the coordinator; or, if the checkpoint is
     * no longer wanted, drops it ({@link TaskSnapshot#discard}).
     */
    void snapshotTaken(long checkpointId, int task, Map<String, OperatorSnapshot> operators, long syncNanos,
                       long alignNanos);

    /** A source finished: no new checkpoints are started (the job is finishing). */
    void sourceEnded();

    /** Task {@code task} (0-based index in the job) advanced its watermark. */
    void reportWatermark(int task, long watermark);

    /**
     * Where task {@code task} (0-based index in the job), subtask {@code subtask} of {@code vertex},
     * counts for metrics. A job that keeps one per task across restarts returns the same each time.
     */
    default TaskStats taskStats(int task, String vertex, int subtask) {
        return new TaskStats(vertex, subtask);
    }
}
