package io.tidemill.operator;

import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;

/** Hands records to a sink writer; the end of every chain that ends in a sink. */
public final class SinkOperator<T> implements Operator<T, Void> {
    private final Sink<T> sink;
    private SinkWriter<T> writer;

    public SinkOperator(Sink<T> sink) {
        this.sink = sink;
    }

    @Override
    public void open(OperatorContext ctx, Output<Void> out) throws Exception {
        writer = sink.createWriter(ctx.subtaskIndex(), ctx.parallelism());
    }

    @Override
    public void processElement(T value, long timestamp) throws Exception {
        writer.write(value, timestamp);
    }

    @Override
    public void processWatermark(long watermark) {}

    @Override
    public void endInput() throws Exception {
        writer.finish();
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }
}
