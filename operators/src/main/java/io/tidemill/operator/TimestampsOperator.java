package io.tidemill.operator;

import io.tidemill.watermark.TimestampAssigner;
import io.tidemill.watermark.WatermarkGenerator;
import io.tidemill.watermark.WatermarkOutput;
import io.tidemill.watermark.WatermarkStrategy;

/**
 * Assigns timestamps and generates watermarks in the middle of a stream. Upstream watermarks are
 * replaced by this operator's, except the final one that ends a bounded input. A punctuated
 * generator's watermark goes out right after the record that made it; a periodic one's after each
 * batch. A generator's {@code markIdle} is not passed on here (only source splits go idle).
 */
public final class TimestampsOperator<T> implements Operator<T, T>, WatermarkOutput {
    private final WatermarkStrategy<T> strategy;
    private TimestampAssigner<T> assigner;
    private WatermarkGenerator<T> generator;
    private Output<T> out;
    private OperatorContext ctx;
    private long emitted = Long.MIN_VALUE;

    public TimestampsOperator(WatermarkStrategy<T> strategy) {
        this.strategy = strategy;
    }

    @Override
    public void open(OperatorContext ctx, Output<T> out) {
        this.out = out;
        this.ctx = ctx;
        this.assigner = strategy.timestampAssigner();
        this.generator = strategy.createGenerator();
    }

    @Override
    public void processElement(T value, long timestamp) {
        long ts = strategy.isProcessingTime() ? ctx.currentProcessingTime()
                : assigner == null ? timestamp : assigner.extractTimestamp(value, timestamp);
        out.emit(value, ts);
        generator.onEvent(value, ts, this);
    }

    @Override
    public void finishBatch() {
        generator.onPeriodicEmit(this);
    }

    @Override
    public void emitWatermark(long wm) {
        if (wm > emitted) {
            emitted = wm;
            out.emitWatermark(wm);
        }
    }

    @Override
    public void markIdle() {}

    @Override
    public void markActive() {}

    @Override
    public void processWatermark(long watermark) {
        if (watermark == Long.MAX_VALUE && emitted < Long.MAX_VALUE) {
            emitted = Long.MAX_VALUE;
            out.emitWatermark(watermark);
        }
    }
}
