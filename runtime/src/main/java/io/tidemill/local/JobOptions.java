package io.tidemill.local;

import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.store.SnapshotStore;

/**
 * How a job runs beyond its pipeline: checkpoints, where snapshots go, restarts, what to start from.
 *
 * @param store where checkpoints and savepoints are written (null: none)
 * @param restoreLatest start from the latest completed checkpoint in {@code store}, if any; the job
 *        fails if the store holds completed checkpoints and none can be read (see {@link #withRestoreLatest})
 * @param restoreFrom start from this snapshot instead (a checkpoint or savepoint), or null
 */
public record JobOptions(CheckpointConfig checkpoints, SnapshotStore store, RestartStrategy restart,
                         boolean restoreLatest, SnapshotSource restoreFrom) {
    public static final JobOptions DEFAULT = new JobOptions(CheckpointConfig.DISABLED, null, RestartStrategy.NONE,
            false, null);

    /** A snapshot to start from: a prefix in a store ({@code chk-7}, {@code savepoint-9}). */
    public record SnapshotSource(SnapshotStore store, String prefix) {}

    public JobOptions {
        if (checkpoints.enabled() && store == null) {
            throw new IllegalArgumentException("checkpointing needs a snapshot store");
        }
    }

    /** Checkpoints into {@code store}, resuming from its latest completed checkpoint if there is one. */
    public static JobOptions checkpointed(CheckpointConfig checkpoints, SnapshotStore store) {
        return new JobOptions(checkpoints, store, RestartStrategy.NONE, true, null);
    }

    public JobOptions withRestart(RestartStrategy r) {
        return new JobOptions(checkpoints, store, r, restoreLatest, restoreFrom);
    }

    public JobOptions withRestoreFrom(SnapshotSource source) {
        return new JobOptions(checkpoints, store, restart, restoreLatest, source);
    }

    /**
     * Whether to resume from the latest completed checkpoint in the store (the default of
     * {@link #checkpointed}). {@code false} discards the store's state: the job starts from scratch (an
     * exactly-once sink then rewrites its output) and checkpoints on after the store's highest id. This
     * is how to start anyway when the store's checkpoints are all corrupt ({@code --discard-state}).
     */
    public JobOptions withRestoreLatest(boolean latest) {
        return new JobOptions(checkpoints, store, restart, latest, restoreFrom);
    }
}
