package io.tidemill.operator;

import io.tidemill.api.function.Collector;
import io.tidemill.api.function.FilterFunction;
import io.tidemill.api.function.FlatMapFunction;
import io.tidemill.api.function.MapFunction;

/** The record-at-a-time operators: map, filter, flatMap. Timestamps pass through unchanged. */
public final class StatelessOperators {
    private StatelessOperators() {}

    public static <T, R> OperatorFactory<T, R> map(MapFunction<T, R> fn) {
        return () -> new Base<T, R>() {
            @Override
            public void processElement(T value, long timestamp) throws Exception {
                out.emit(fn.map(value), timestamp);
            }
        };
    }

    public static <T> OperatorFactory<T, T> filter(FilterFunction<T> fn) {
        return () -> new Base<T, T>() {
            @Override
            public void processElement(T value, long timestamp) throws Exception {
                if (fn.filter(value)) {
                    out.emit(value, timestamp);
                }
            }
        };
    }

    public static <T, R> OperatorFactory<T, R> flatMap(FlatMapFunction<T, R> fn) {
        return () -> new Base<T, R>() {
            private long currentTimestamp;
            private final Collector<R> collector = value -> out.emit(value, currentTimestamp);

            @Override
            public void processElement(T value, long timestamp) throws Exception {
                currentTimestamp = timestamp;
                fn.flatMap(value, collector);
            }
        };
    }

    /** Holds the output and forwards watermarks. */
    abstract static class Base<T, R> implements Operator<T, R> {
        Output<R> out;

        @Override
        public void open(OperatorContext ctx, Output<R> out) {
            this.out = out;
        }

        @Override
        public void processWatermark(long watermark) {
            out.emitWatermark(watermark);
        }
    }
}
