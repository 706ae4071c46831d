package io.tidemill.api.function;

/**
 * Evaluates a window of a non-keyed stream when it fires, with the window's metadata: after an
 * aggregate, it sees the single aggregated value.
 */
public abstract class ProcessAllWindowFunction<IN, OUT> extends RichFunction {

    public abstract void process(ProcessWindowFunction.Context ctx, Iterable<IN> elements, Collector<OUT> out)
            throws Exception;
}
