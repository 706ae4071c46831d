package io.tidemill.api;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.checkpoint.codec.StateCopier;
import io.tidemill.window.WindowPartial;

/**
 * The merging step's aggregate of a pre-aggregated window: folds the partials of the local step into
 * a window's accumulator with the user's {@code merge}. A sliding window's partial reaches several
 * windows, so each merges a copy ({@code merge} may keep or change what it is given); a tumbling
 * window's partial reaches one, which may take it as it is.
 */
final class PartialMerging<T, K, ACC, V> implements AggregateFunction<WindowPartial<K, ACC>, ACC, V> {
    private final AggregateFunction<T, ACC, V> agg;
    private final boolean partialsShared;

    PartialMerging(AggregateFunction<T, ACC, V> agg, boolean partialsShared) {
        this.agg = agg;
        this.partialsShared = partialsShared;
    }

    @Override
    public ACC createAccumulator() {
        return agg.createAccumulator();
    }

    @SuppressWarnings("unchecked")
    @Override
    public ACC add(WindowPartial<K, ACC> partial, ACC acc) {
        return agg.merge(acc, partialsShared ? (ACC) StateCopier.copy(partial.acc()) : partial.acc());
    }

    @Override
    public V getResult(ACC acc) {
        return agg.getResult(acc);
    }

    @Override
    public ACC merge(ACC a, ACC b) {
        return agg.merge(a, b);
    }
}
