package io.tidemill.local;

import io.tidemill.api.JobResult;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.plan.ExecutionPlan;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import io.tidemill.task.TaskStats;

/** A submitted job: watch it, wait for it, cancel it. */
public interface JobHandle {
    String name();

    /** Completes with the result, or exceptionally with {@link JobFailedException} or a cancellation. */
    CompletableFuture<JobResult> result();

    /** Stops the job; {@link #result()} completes once every task has stopped. */
    void cancel();

    long recordsIn();

    /**
     * Takes a savepoint under {@code prefix} of the job's snapshot store (e.g. {@code savepoint-1});
     * completes when it is written. A job can later be started from it, also at another parallelism.
     */
    CompletableFuture<CheckpointCoordinator.Completed> triggerSavepoint(String prefix);

    /** Takes a savepoint, then stops the job; {@link #result()} then completes normally. */
    CompletableFuture<CheckpointCoordinator.Completed> stopWithSavepoint(String prefix);

    /** Checkpoints completed so far, over all attempts. */
    List<CheckpointCoordinator.Completed> completedCheckpoints();

    /**
     * Checkpoints and savepoints that failed so far, over all attempts: not written, declined by a
     * task, or timed out (not those aborted because the job was ending).
     */
    int failedCheckpoints();

    /** Checkpoints in flight when an attempt of the job ended (stopped, finished or failed). */
    int abortedCheckpoints();

    /**
     * Calls {@code listener} with every checkpoint or savepoint completed from now on, on the thread
     * that completed it (it must be quick).
     */
    void onCheckpointCompleted(Consumer<CheckpointCoordinator.Completed> listener);

    /** The figures of every subtask, vertex by vertex, subtask by subtask; the same over restarts. */
    List<TaskStats> taskStats();

    /** How often the job restarted after a failure. */
    int restarts();

    /** The lowest watermark of any task: event time the whole job has reached. */
    long watermark();

    long lateRecordsDropped();

    /** The job's physical plan: its vertices (chains of operators) and the edges between them. */
    ExecutionPlan plan();

    /** What made the latest attempt fail (the cause's message), or null while none failed. */
    String lastFailure();

    /** Waits for the job to end; rethrows its failure. */
    default JobResult join() {
        try {
            return result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for job " + name(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
