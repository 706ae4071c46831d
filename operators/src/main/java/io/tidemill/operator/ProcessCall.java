package io.tidemill.operator;

import io.tidemill.api.OutputTag;
import io.tidemill.api.function.Collector;

/**
 * What the context of a process function's call is in every process operator: the record's (or
 * timer's) timestamp, the collector and side outputs stamped with it, the watermark and processing
 * time. One instance per subtask, reused for every call; {@link #open} before the first.
 */
abstract class ProcessCall<OUT> implements Collector<OUT>, TimestampedCollector<OUT> {
    OperatorContext ctx;
    Output<OUT> out;
    long timestamp;
    long watermark = Long.MIN_VALUE;

    final void open(OperatorContext ctx, Output<OUT> out) {
        this.ctx = ctx;
        this.out = out;
    }

    public long timestamp() {
        return timestamp;
    }

    public <X> void output(OutputTag<X> tag, X value) {
        out.emitSide(tag, value, timestamp);
    }

    @Override
    public void collect(OUT value) {
        out.emit(value, timestamp);
    }

    @Override
    public void collect(OUT value, long ts) {
        out.emit(value, ts);
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value, long ts) {
        out.emitSide(tag, value, ts);
    }

    public long currentWatermark() {
        return watermark;
    }

    public long currentProcessingTime() {
        return ctx.currentProcessingTime();
    }
}
