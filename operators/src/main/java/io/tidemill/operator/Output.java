package io.tidemill.operator;

import io.tidemill.api.OutputTag;

/** Where an operator emits records, side-output records and watermarks. */
public interface Output<T> {
    void emit(T value, long timestamp);

    void emitWatermark(long watermark);

    <X> void emitSide(OutputTag<X> tag, X value, long timestamp);
}
