package io.tidemill.api.function;

/**
 * Processes two keyed streams connected on the same key, with shared keyed state and timers; the
 * building block of unwindowed joins.
 */
public abstract class KeyedCoProcessFunction<K, A, B, OUT> extends RichFunction {

    public abstract void processElement1(A value, KeyedProcessFunction.Context<K> ctx, Collector<OUT> out)
            throws Exception;

    public abstract void processElement2(B value, KeyedProcessFunction.Context<K> ctx, Collector<OUT> out)
            throws Exception;

    /** Called when a timer registered for the current key fires (see {@link KeyedProcessFunction#onTimer}). */
    public void onTimer(long time, KeyedProcessFunction.OnTimerContext<K> ctx, Collector<OUT> out) throws Exception {}
}
