package io.tidemill.api.sink;

import java.util.List;

/**
 * A sink writer with two-phase commit, for exactly-once output. At a checkpoint barrier
 * {@link #preCommit} makes what was written durable but not yet visible and returns it as a
 * transaction (a record, stored in the checkpoint); when the checkpoint completes, {@link #commit}
 * makes it visible. After a restore, {@link #recover} commits the transactions of the restored
 * checkpoint and removes everything later attempts left behind.
 *
 * @param <T> record type
 * @param <X> transaction type: a Java record (it goes into snapshots)
 */
public interface TransactionalSinkWriter<T, X> extends SinkWriter<T> {
    X preCommit(long checkpointId) throws Exception;

    /** Makes transactions visible; must be idempotent (a commit may be repeated after a failure). */
    void commit(List<X> transactions) throws Exception;

    /**
     * Called once before any record: {@code transactions} are those of the restored checkpoint that
     * this subtask takes over (empty on a fresh start), {@code oldSubtasks} the subtask indices of the
     * previous run this subtask is responsible for cleaning up.
     */
    void recover(long restoredCheckpointId, List<X> transactions, int subtask, int parallelism) throws Exception;
}
