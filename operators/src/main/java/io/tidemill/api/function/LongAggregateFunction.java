package io.tidemill.api.function;

/**
 * An aggregate whose accumulator is a single {@code long}: counts, sums, minima, maxima. Window
 * operators keep such accumulators unboxed, in flat arrays beside the keys, instead of one
 * accumulator object per key and window; anywhere else it behaves as the {@link AggregateFunction}
 * over {@code long[1]} that it also is.
 *
 * @param <IN> input record type
 * @param <OUT> result type
 */
public interface LongAggregateFunction<IN, OUT> extends AggregateFunction<IN, long[], OUT> {
    /** The accumulator before any record: 0 for a count or sum, {@code Long.MIN_VALUE} for a max. */
    long initial();

    /** The accumulator after {@code value}. */
    long add(IN value, long accumulator);

    /** Two accumulators combined. */
    long merge(long a, long b);

    OUT result(long accumulator);

    @Override
    default long[] createAccumulator() {
        return new long[] {initial()};
    }

    @Override
    default long[] add(IN value, long[] accumulator) {
        accumulator[0] = add(value, accumulator[0]);
        return accumulator;
    }

    @Override
    default OUT getResult(long[] accumulator) {
        return result(accumulator[0]);
    }

    @Override
    default long[] merge(long[] a, long[] b) {
        a[0] = merge(a[0], b[0]);
        return a;
    }
}
