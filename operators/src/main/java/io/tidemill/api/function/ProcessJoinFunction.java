package io.tidemill.api.function;

import io.tidemill.api.OutputTag;

/** Receives each matching pair of an interval join. */
public abstract class ProcessJoinFunction<A, B, OUT> extends RichFunction {
    public abstract void processElement(A left, B right, Context ctx, Collector<OUT> out) throws Exception;

    /** Timestamps of the pair; the output's timestamp is the larger of the two. */
    public interface Context {
        long leftTimestamp();

        long rightTimestamp();

        /** The output's timestamp: the larger of the pair's (Flink's {@code getTimestamp}). */
        default long timestamp() {
            return Math.max(leftTimestamp(), rightTimestamp());
        }

        /** Emits {@code value} to the side output {@code tag}, stamped with {@link #timestamp()}. */
        <X> void output(OutputTag<X> tag, X value);
    }
}
