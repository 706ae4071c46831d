package io.tidemill.operator;

import io.tidemill.watermark.TimestampAssigner;
import io.tidemill.watermark.WatermarkGenerator;
import io.tidemill.watermark.WatermarkStrategy;

/**
 * Assigns timestamps and generates watermarks in the middle of a stream. Upstream watermarks are
 * replaced by this operator's, except the final one that ends a bounded input.
 */
public final class TimestampsOperator<T> implements Operator<T, T> {
    private final WatermarkStrategy<T> strategy;
    private TimestampAssigner<T> assigner;
    private WatermarkGenerator generator;
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
        generator.onEvent(ts);
        out.emit(value, ts);
    }

    @Override
    public void finishBatch() {
        long wm = generator.currentWatermark();
        if (wm > emitted) {
            emitted = wm;
            out.emitWatermark(wm);
        }
    }

    @Override
    public void processWatermark(long watermark) {
        if (watermark == Long.MAX_VALUE && emitted < Long.MAX_VALUE) {
            emitted = Long.MAX_VALUE;
            out.emitWatermark(watermark);
        }
    }
}
