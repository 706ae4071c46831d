package io.tidemill.api.function;

import io.tidemill.api.OutputTag;

/**
 * The low-level keyed function: sees each record with its key, keyed state and timers. Each subtask
 * runs its own copy (see {@link RichFunction}).
 *
 * <pre>{@code
 * keyed.process(new KeyedProcessFunction<String, Event, String>() {
 *     ValueState<Long> count;
 *     public void open(RuntimeContext ctx) { count = ctx.state(StateDescriptor.value("count")); }
 *     public void processElement(Event e, Context ctx, Collector<String> out) {
 *         count.update(count.value() == null ? 1 : count.value() + 1);
 *         ctx.timerService().registerEventTimeTimer(ctx.timestamp() + 1000);
 *     }
 *     public void onTimer(long time, OnTimerContext<String> ctx, Collector<String> out) {
 *         out.collect(ctx.currentKey() + "=" + count.value());
 *     }
 * });
 * }</pre>
 */
public abstract class KeyedProcessFunction<K, IN, OUT> extends RichFunction {
    public abstract void processElement(IN value, Context<K> ctx, Collector<OUT> out) throws Exception;

    /**
     * Called when a timer registered for the current key fires; {@code ctx.timeDomain()} says whether
     * the watermark or processing time reached it, and {@code ctx.timestamp()} is {@code time}.
     */
    public void onTimer(long time, OnTimerContext<K> ctx, Collector<OUT> out) throws Exception {}

    /** The context of one call: the key, the record's timestamp, timers, side outputs. */
    public interface Context<K> {
        K currentKey();

        /** The record's (or firing timer's) timestamp. */
        long timestamp();

        TimerService timerService();

        /** Emits {@code value} to the side output {@code tag}, read with {@code getSideOutput(tag)}. */
        <X> void output(OutputTag<X> tag, X value);
    }

    /** The context of a timer firing. */
    public interface OnTimerContext<K> extends Context<K> {
        /** Whether the firing timer is an event-time or a processing-time timer. */
        TimeDomain timeDomain();
    }
}
