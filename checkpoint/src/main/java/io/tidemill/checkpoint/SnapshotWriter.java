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

    /**
     * Runs {@code write} later, off the task's thread, after the barrier went on: the asynchronous
     * part of a snapshot. The operator captures a private copy of its state synchronously and
     * serializes the copy here. Deferred writes run in the order they were registered, after all
     * synchronous writes.
     */
    void defer(Deferred write);

    /** The asynchronous part of an operator's snapshot. */
    @FunctionalInterface
    interface Deferred {
        void writeTo(SnapshotWriter writer) throws java.io.IOException;
    }
}
