package io.tidemill.checkpoint;

import io.tidemill.checkpoint.store.SnapshotStore;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The asynchronous part of a task's snapshot: encodes the operators' snapshots into the task's
 * blob, writes it to the store off the task's thread, and acknowledges it to the coordinator (or
 * declines the checkpoint with the store's error).
 *
 * <p>Invariants: a blob's key carries its checkpoint id ({@code <prefix>/t<task>-<id>}), so a late
 * write of an aborted checkpoint never replaces a later one's, even under a savepoint prefix used
 * again; a blob written after its checkpoint ended (the coordinator refuses the acknowledgement) is
 * deleted, as it is part of no checkpoint; a snapshot taken for a checkpoint already over is
 * discarded unwritten.
 */
public final class SnapshotUpload {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotUpload.class);

    private final SnapshotStore store;
    private final Executor io;
    private final String jobName;

    public SnapshotUpload(SnapshotStore store, Executor io, String jobName) {
        this.store = store;
        this.io = io;
        this.jobName = jobName;
    }

    /** Called on the task's thread right after its synchronous snapshot. */
    public void upload(CheckpointAcks coordinator, long checkpointId, int task,
                       Map<String, OperatorSnapshot> operators, long syncNanos, long alignNanos) {
        String prefix = coordinator == null ? null : coordinator.prefixOf(checkpointId);
        if (prefix == null) {
            TaskSnapshot.discard(operators); // the checkpoint is over (aborted, or the job is ending)
            return;
        }
        try {
            io.execute(() -> write(coordinator, prefix + "/t" + task + "-" + checkpointId, checkpointId, task,
                    operators, syncNanos, alignNanos));
        } catch (RejectedExecutionException e) {
            TaskSnapshot.discard(operators); // the job is shutting down
        }
    }

    private void write(CheckpointAcks coordinator, String key, long checkpointId, int task,
                       Map<String, OperatorSnapshot> operators, long syncNanos, long alignNanos) {
        boolean accepted;
        try {
            byte[] blob = TaskSnapshot.encode(operators);
            store.put(key, blob);
            accepted = coordinator.acknowledge(checkpointId, task, new CheckpointCoordinator.Ack(key, blob.length,
                    syncNanos, alignNanos));
        } catch (Exception e) {
            coordinator.decline(checkpointId, "task " + task + " could not write its snapshot: " + e.getMessage(), e);
            return;
        }
        if (!accepted) {
            try {
                store.delete(key);
            } catch (IOException e) {
                LOG.warn("job {}: cannot delete {}: {}", jobName, key, e.getMessage());
            }
        }
    }
}
