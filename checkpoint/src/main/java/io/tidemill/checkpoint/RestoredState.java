package io.tidemill.checkpoint;

import java.io.DataInput;
import java.util.List;

/** The state an operator subtask starts from after a restore. */
public interface RestoredState {
    /**
     * The section of a key group this subtask now owns, or null if there is none. Repeated calls return
     * the same stream, positioned after what earlier readers consumed.
     */
    DataInput keyGroup(int keyGroup);

    /** Operator-state sections of all subtasks of the snapshot, in subtask order (union redistribution). */
    List<DataInput> operatorStates();

    /** The checkpoint restored from. */
    long checkpointId();
}
