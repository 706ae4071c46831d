package io.tidemill.operator;

import io.tidemill.state.KeyedStateBackend;
import java.util.function.LongSupplier;

/**
 * The {@link OperatorContext} of one operator subtask: its name and place, its keyed state (null
 * when not keyed), the processing-time clock and where late records (dropped, or sent to a side
 * output) are counted. The engine gives one to every operator it opens; a test harness makes its own
 * with a clock it controls.
 */
public record SubtaskContext(String operatorName, int subtaskIndex, int parallelism, KeyedStateBackend keyedState,
                             LongSupplier clock, Runnable lateRecordCounter, Runnable lateSideOutputCounter)
        implements OperatorContext {
    /** A context that does not count late records sent to side outputs. */
    public SubtaskContext(String operatorName, int subtaskIndex, int parallelism, KeyedStateBackend keyedState,
                          LongSupplier clock, Runnable lateRecordCounter) {
        this(operatorName, subtaskIndex, parallelism, keyedState, clock, lateRecordCounter, () -> {});
    }

    @Override
    public long currentProcessingTime() {
        return clock.getAsLong();
    }

    @Override
    public void countLateRecord() {
        lateRecordCounter.run();
    }

    @Override
    public void countLateRecordToSideOutput() {
        lateSideOutputCounter.run();
    }
}
