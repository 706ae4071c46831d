package io.tidemill.api;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.LongAggregateFunction;
import io.tidemill.api.function.ReduceFunction;
import io.tidemill.operator.UserFunctionException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/** Ready-made aggregate functions. */
public final class Aggregates {
    private Aggregates() {}

    /** Counts records. */
    public static <T> LongAggregateFunction<T, Long> count() {
        return sum(value -> 1);
    }

    /** Sums a long field of each record. */
    public static <T> LongAggregateFunction<T, Long> sum(ToLongFunction<T> field) {
        return new LongAggregateFunction<>() {
            @Override
            public long initial() {
                return 0;
            }

            @Override
            public long add(T value, long acc) {
                return acc + field.applyAsLong(value);
            }

            @Override
            public long merge(long a, long b) {
                return a + b;
            }

            @Override
            public Long result(long acc) {
                return acc;
            }
        };
    }

    /** Folds records with a reduce function; the window result is the reduced record. */
    public static <T> AggregateFunction<T, Object[], T> reducing(ReduceFunction<T> fn) {
        return new AggregateFunction<>() {
            @Override
            public Object[] createAccumulator() {
                return new Object[1];
            }

            @SuppressWarnings("unchecked")
            @Override
            public Object[] add(T value, Object[] acc) {
                try {
                    acc[0] = acc[0] == null ? value : fn.reduce((T) acc[0], value);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new UserFunctionException(e);
                }
                return acc;
            }

            @SuppressWarnings("unchecked")
            @Override
            public T getResult(Object[] acc) {
                return (T) acc[0];
            }

            @SuppressWarnings("unchecked")
            @Override
            public Object[] merge(Object[] a, Object[] b) {
                if (b[0] != null) {
                    add((T) b[0], a);
                }
                return a;
            }
        };
    }

    /** Keeps all records in arrival order. */
    public static <T> AggregateFunction<T, List<T>, List<T>> toList() {
        return new AggregateFunction<>() {
            @Override
            public List<T> createAccumulator() {
                return new ArrayList<>();
            }

            @Override
            public List<T> add(T value, List<T> acc) {
                acc.add(value);
                return acc;
            }

            @Override
            public List<T> getResult(List<T> acc) {
                return acc;
            }

            @Override
            public List<T> merge(List<T> a, List<T> b) {
                a.addAll(b);
                return a;
            }
        };
    }
}
