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
 *     public void onTimer(long time, Context ctx, Collector<String> out) {
 *         out.collect(ctx.currentKey() + "=" + count.value());
 *     }
 * });
 * }</pre>
 */
public abstract class KeyedProcessFunction<K, IN, OUT> extends RichFunction {
    public abstract void processElement(IN value, Context<K> ctx, Collector<OUT> out) throws Exception;

    /** Called when a timer registered for the current key fires. */
    public void onTimer(long time, Context<K> ctx, Collector<OUT> out) throws Exception {}

    /** The context of one call: the key, the record's timestamp, timers, side outputs. */
    public interface Context<K> {
        K currentKey();

        /** The record's (or firing timer's) timestamp. */
        long timestamp();

        TimerService timerService();

        <X> void output(OutputTag<X> tag, X value);
    }
}
