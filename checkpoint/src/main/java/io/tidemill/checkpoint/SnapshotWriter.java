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
     * part of a snapshot. The operator captures its state synchronously (a copy, or a copy-on-write
     * capture) and serializes it here. Deferred writes run in the order they were registered, after
     * all synchronous writes. Each runs exactly one of {@link Deferred#writeTo} and
     * {@link Deferred#discard}: the latter when the snapshot is dropped unwritten.
     */
    void defer(Deferred write);

    /** The asynchronous part of an operator's snapshot. */
    @FunctionalInterface
    interface Deferred {
        void writeTo(SnapshotWriter writer) throws java.io.IOException;

        /** The snapshot is dropped without this part being written: release what it captured. */
        default void discard() {}

        /** {@code write}, then {@code release} whether it succeeded or not; or only {@code release} if discarded. */
        static Deferred releasing(Deferred write, Runnable release) {
            return new Deferred() {
                @Override
                public void writeTo(SnapshotWriter writer) throws java.io.IOException {
                    try {
                        write.writeTo(writer);
                    } finally {
                        release.run();
                    }
                }

                @Override
                public void discard() {
                    release.run();
                }
            };
        }
    }
}
