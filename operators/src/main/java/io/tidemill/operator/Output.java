package io.tidemill.operator;

import io.tidemill.api.OutputTag;

/** Where an operator emits records, side-output records and watermarks. */
public interface Output<T> {
    void emit(T value, long timestamp);

    void emitWatermark(long watermark);

    <X> void emitSide(OutputTag<X> tag, X value, long timestamp);

    /**
     * True while the task's output is backpressured. An operator that emits many records from one
     * call (a window or timer firing) checks it as it goes, stops when it is true and goes on in
     * {@link Operator#resumeOutput()}, so that output never piles up in memory (Jet's outbox model).
     */
    default boolean isFull() {
        return false;
    }
}
