package io.tidemill.operator;

import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;

/**
 * The execution contract of one operator: what the engine calls, in one thread, for each subtask.
 *
 * <p>An operator receives records and watermarks and emits to its {@link Output}. It knows nothing
 * of threads, queues, networking or the operators around it: the task driving it chains operators
 * with plain method calls and moves batches between tasks. Calls never overlap and never block.
 *
 * <ul>
 *   <li>{@link #processElement} for each record, with its event timestamp
 *       ({@link Long#MIN_VALUE} when it has none);
 *   <li>{@link #processWatermark} when event time advances: fire what is due, then forward it;
 *   <li>{@link #finishBatch} after each batch of input, to emit what is better emitted per batch;
 *   <li>{@link #onProcessingTime} when the wall clock reaches {@link #nextProcessingTime()};
 *   <li>{@link #snapshotState} at checkpoint barriers, {@link #notifyCheckpointComplete} when a
 *       checkpoint completed, {@link #restoreState} after open when the job resumes from a snapshot;
 *   <li>{@link #resumeOutput} while {@link #hasPendingOutput} (a firing paused on a full output);
 *   <li>{@link #endInput} once all input was consumed (after the final {@code Long.MAX_VALUE}
 *       watermark), then {@link #close}, also on failure.
 * </ul>
 */
public interface Operator<IN, OUT> {
    void open(OperatorContext ctx, Output<OUT> out) throws Exception;

    void processElement(IN value, long timestamp) throws Exception;

    void processWatermark(long watermark) throws Exception;

    default void finishBatch() throws Exception {}

    /** The earliest wall-clock time this operator wants {@link #onProcessingTime} at. */
    default long nextProcessingTime() {
        return Long.MAX_VALUE;
    }

    default void onProcessingTime(long now) throws Exception {}

    default void endInput() throws Exception {}

    /**
     * True while output of an earlier call is still to come: a firing that stopped because
     * {@link Output#isFull()}. The task then gives this operator nothing else (no record, watermark,
     * timer, barrier or end of input) and calls {@link #resumeOutput} once its output has room.
     * The watermark that started the firing is forwarded only when the firing is complete.
     */
    default boolean hasPendingOutput() {
        return false;
    }

    /** Goes on with the pending output, until it is all out or {@link Output#isFull()} again. */
    default void resumeOutput() throws Exception {}

    /**
     * Writes this subtask's state at a checkpoint barrier (between two records). Keyed state goes to
     * its key group's section so that it can be restored at another parallelism.
     */
    default void snapshotState(SnapshotWriter writer) throws Exception {}

    /** Called after {@link #open} and before any record when the job starts from a snapshot. */
    default void restoreState(RestoredState state) throws Exception {}

    /** Checkpoint {@code checkpointId} is complete on every task (sinks commit here). */
    default void notifyCheckpointComplete(long checkpointId) throws Exception {}

    default void close() throws Exception {}

    /** True if calls may block; the task running this operator then gets its own thread. */
    default boolean isBlocking() {
        return false;
    }
}
