package io.tidemill.api.function;

import io.tidemill.state.StateDescriptor;

/** What a rich function sees of the task running it: its subtask and its keyed state. */
public interface RuntimeContext {
    String operatorName();

    int subtaskIndex();

    int parallelism();

    /** Keyed state for the current key; only on keyed streams. */
    <S> S state(StateDescriptor<S> descriptor);
}
