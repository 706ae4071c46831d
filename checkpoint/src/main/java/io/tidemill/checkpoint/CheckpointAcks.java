package io.tidemill.checkpoint;

/**
 * Where a task's snapshot is acknowledged: the job's {@link CheckpointCoordinator} in the same JVM,
 * or, on a cluster member, a messenger to the coordinator on the job master.
 */
public interface CheckpointAcks {
    /** Where the blobs of checkpoint {@code id} go, or null if it is no longer wanted. */
    String prefixOf(long id);

    /**
     * The task's blob is stored; false if the checkpoint no longer wants it (the caller deletes it).
     * A remote acknowledgement returns true and leaves the deletion of a refused blob to the master.
     */
    boolean acknowledge(long id, int task, CheckpointCoordinator.Ack ack);

    /** The task could not write its snapshot: the checkpoint fails. */
    void decline(long id, String reason, Throwable cause);
}
