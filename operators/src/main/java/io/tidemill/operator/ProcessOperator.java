package io.tidemill.operator;

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
    private Output<OUT> out;

    public ProcessOperator(ProcessFunction<IN, OUT> function) {
        this.function = function;
    }

    @Override
    public void open(OperatorContext ctx, Output<OUT> out) throws Exception {
        this.out = out;
        call.open(ctx, out);
        function.open(new OperatorRuntimeContext(ctx));
    }

    @Override
    public void processElement(IN value, long timestamp) throws Exception {
        call.timestamp = timestamp;
        function.processElement(value, call, call);
    }

    @Override
    public void processWatermark(long wm) {
        call.watermark = wm;
        out.emitWatermark(wm);
    }

    @Override
    public void close() throws Exception {
        function.close();
    }

    /** The context and collector of one call, reused to avoid allocation per record. */
    private final class Call extends ProcessCall<OUT> implements ProcessFunction.Context, TimerService {
        @Override
        public TimerService timerService() {
            return this;
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
