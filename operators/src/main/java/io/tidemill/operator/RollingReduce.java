package io.tidemill.operator;

import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ReduceFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.state.StateDescriptor;
import io.tidemill.state.ValueState;

/** Keyed rolling reduce: emits the running reduction of each key's records. */
public final class RollingReduce<K, T> extends KeyedProcessFunction<K, T, T> {
    private final ReduceFunction<T> fn;
    private ValueState<T> current;

    public RollingReduce(ReduceFunction<T> fn) {
        this.fn = fn;
    }

    @Override
    public void open(RuntimeContext ctx) {
        current = ctx.state(StateDescriptor.value("reduce"));
    }

    @Override
    public void processElement(T value, Context<K> ctx, Collector<T> out) throws Exception {
        T old = current.value();
        T next = old == null ? value : fn.reduce(old, value);
        current.update(next);
        out.collect(next);
    }
}
