package io.tidemill.checkpoint;

import java.io.DataOutput;

/**
 * Where an operator writes its state at a checkpoint barrier. Keyed state goes to the section of
 * its key group (so it can be restored at any parallelism); other state (source offsets, sink
 * transactions) goes to the operator-state section, which every restoring subtask can read.
 */
public interface SnapshotWriter {
    /** The checkpoint being taken. */
    long checkpointId();

    DataOutput keyGroup(int keyGroup);

    DataOutput operatorState();
}
