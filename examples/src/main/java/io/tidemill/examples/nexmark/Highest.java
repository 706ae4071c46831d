package io.tidemill.examples.nexmark;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Keeps the elements of a window whose {@code value} equals the highest so far (all of them on a
 * tie, in arrival order), so a window holds its few leaders instead of every element:
 *
 * <pre>{@code
 * rows.keyBy(Row::windowEnd).window(...).aggregate(new Highest<>(Row::num), new Highest.EmitAll<>())
 * }</pre>
 */
final class Highest<T> implements AggregateFunction<T, List<T>, List<T>> {
    private final ToLongFunction<T> value;

    Highest(ToLongFunction<T> value) {
        this.value = value;
    }

    @Override
    public List<T> createAccumulator() {
        return new ArrayList<>(2);
    }

    @Override
    public List<T> add(T element, List<T> leaders) {
        long v = value.applyAsLong(element);
        long top = leaders.isEmpty() ? Long.MIN_VALUE : value.applyAsLong(leaders.get(0));
        if (v > top) {
            leaders.clear();
        }
        if (v >= top) {
            leaders.add(element);
        }
        return leaders;
    }

    @Override
    public List<T> getResult(List<T> leaders) {
        return leaders;
    }

    @Override
    public List<T> merge(List<T> a, List<T> b) {
        for (T element : b) {
            add(element, a);
        }
        return a;
    }

    /** Emits each leader of the window. */
    static final class EmitAll<T, K> extends ProcessWindowFunction<List<T>, T, K> {
        @Override
        public void process(K key, Context ctx, Iterable<List<T>> leaders, Collector<T> out) {
            for (T element : leaders.iterator().next()) {
                out.collect(element);
            }
        }
    }
}
