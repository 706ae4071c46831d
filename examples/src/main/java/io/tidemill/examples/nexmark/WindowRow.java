package io.tidemill.examples.nexmark;

import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;

/**
 * Turns the count or sum of one key in one window into a query's row
 * {@code (key, value, windowStart, windowEnd)}; use after {@code Aggregates.count()} or
 * {@code Aggregates.sum(...)} (for a plain count, {@code WindowedStream.count()} gives a
 * {@code WindowCount} without a function of one's own):
 *
 * <pre>{@code
 * bids.keyBy(Bid::auction).window(...).aggregate(Aggregates.count(), new WindowRow<>(Row::new));
 * }</pre>
 */
final class WindowRow<R> extends ProcessWindowFunction<Long, R, Long> {
    /** Makes the row, typically a record's constructor. */
    @FunctionalInterface
    interface RowFactory<R> {
        R create(long key, long count, long windowStart, long windowEnd);
    }

    private final RowFactory<R> rows;

    WindowRow(RowFactory<R> rows) {
        this.rows = rows;
    }

    @Override
    public void process(Long key, Context ctx, Iterable<Long> count, Collector<R> out) {
        out.collect(rows.create(key, count.iterator().next(), ctx.window().start(), ctx.window().end()));
    }
}
