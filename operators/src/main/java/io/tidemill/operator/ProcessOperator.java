package io.tidemill.operator;

import io.tidemill.api.OutputTag;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessFunction;
import io.tidemill.api.function.TimerService;

/**
 * Runs a {@link ProcessFunction} on a stream that is not keyed: each record with its timestamp, side
 * outputs, the current watermark and processing time. Timers need a key, so registering one fails
 * naming the operator, as Flink's non-keyed process operator does.
 */
public final class ProcessOperator<IN, OUT> implements Operator<IN, OUT> {
    private final ProcessFunction<IN, OUT> function;
    private final Call call = new Call();
    private OperatorContext ctx;
    private Output<OUT> out;
    private long watermark = Long.MIN_VALUE;

    public ProcessOperator(ProcessFunction<IN, OUT> function) {
        this.function = function;
    }

    @Override
    public void open(OperatorContext ctx, Output<OUT> out) throws Exception {
        this.ctx = ctx;
        this.out = out;
        function.open(new OperatorRuntimeContext(ctx));
    }

    @Override
    public void processElement(IN value, long timestamp) throws Exception {
        call.timestamp = timestamp;
        function.processElement(value, call, call);
    }

    @Override
    public void processWatermark(long wm) {
        watermark = wm;
        out.emitWatermark(wm);
    }

    @Override
    public void close() throws Exception {
        function.close();
    }

    /** The context and collector of one call, reused to avoid allocation per record. */
    private final class Call implements ProcessFunction.Context, Collector<OUT>, TimerService, TimestampedCollector<OUT> {
        long timestamp;

        @Override
        public long timestamp() {
            return timestamp;
        }

        @Override
        public TimerService timerService() {
            return this;
        }

        @Override
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

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public long currentProcessingTime() {
            return ctx.currentProcessingTime();
        }

        @Override
        public void registerEventTimeTimer(long time) {
            throw noTimers();
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            throw noTimers();
        }

        @Override
        public void deleteEventTimeTimer(long time) {
            throw noTimers();
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            throw noTimers();
        }

        private UnsupportedOperationException noTimers() {
            return new UnsupportedOperationException("operator '" + ctx.operatorName() + "': timers are only "
                    + "supported on keyed streams; use keyBy(...).process(KeyedProcessFunction)");
        }
    }
}
