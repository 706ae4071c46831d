package io.tidemill.api.function;

/** Receives each matching pair of an interval join. */
public abstract class ProcessJoinFunction<A, B, OUT> extends RichFunction {
    public abstract void processElement(A left, B right, Context ctx, Collector<OUT> out) throws Exception;

    /** Timestamps of the pair; the output's timestamp is the larger of the two. */
    public interface Context {
        long leftTimestamp();

        long rightTimestamp();
    }
}
