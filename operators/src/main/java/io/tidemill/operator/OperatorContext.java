package io.tidemill.operator;

import io.tidemill.state.KeyedStateBackend;

/** What the engine gives an operator subtask when it opens. */
public interface OperatorContext {
    String operatorName();

    int subtaskIndex();

    int parallelism();

    /** The keyed state of this subtask; only for operators after a keyBy, else null. */
    KeyedStateBackend keyedState();

    long currentProcessingTime();

    /** Counts records dropped because they were late (for metrics and the job summary). */
    void countLateRecord();

    /** Counts a late record sent to a late-data side output instead of being dropped (for metrics). */
    default void countLateRecordToSideOutput() {}
}
