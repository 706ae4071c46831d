package io.tidemill.api.function;

import io.tidemill.api.OutputTag;

/**
 * The low-level function of a stream that is not keyed ({@code stream.process(fn)}): sees each record
 * with its timestamp, the current watermark and processing time, and may emit to side outputs. Each
 * subtask runs its own copy (see {@link RichFunction}).
 *
 * <pre>{@code
 * OutputTag<String> errors = new OutputTag<>("errors");
 * DataStream<Integer> parsed = lines.process(new ProcessFunction<String, Integer>() {
 *     public void processElement(String line, Context ctx, Collector<Integer> out) {
 *         try {
 *             out.collect(Integer.parseInt(line));
 *         } catch (NumberFormatException e) {
 *             ctx.output(errors, line);
 *         }
 *     }
 * });
 * DataStream<String> bad = parsed.getSideOutput(errors);
 * }</pre>
 *
 * <p>As in Flink, timers need keyed state: on a stream that is not keyed, registering or deleting a
 * timer throws {@link UnsupportedOperationException}, so {@link #onTimer} is not called here; use a
 * {@link KeyedProcessFunction} after {@code keyBy} for timers.
 */
public abstract class ProcessFunction<IN, OUT> extends RichFunction {
    public abstract void processElement(IN value, Context ctx, Collector<OUT> out) throws Exception;

    /** Called when a timer fires (only where timers can be registered, see the class comment). */
    public void onTimer(long time, OnTimerContext ctx, Collector<OUT> out) throws Exception {}

    /** The context of one call: the record's timestamp, time, side outputs. */
    public interface Context {
        /** The record's timestamp ({@code Long.MIN_VALUE} when it has none). */
        long timestamp();

        /** Current watermark and processing time; timers are refused on a stream that is not keyed. */
        TimerService timerService();

        /** Emits {@code value} to the side output {@code tag}, read with {@code getSideOutput(tag)}. */
        <X> void output(OutputTag<X> tag, X value);
    }

    /** The context of a timer firing. */
    public interface OnTimerContext extends Context {
        TimeDomain timeDomain();
    }
}
