package io.tidemill.api.function;

import io.tidemill.api.OutputTag;
import io.tidemill.window.TimeWindow;

/**
 * Evaluates a window when it fires, with the window's metadata. Used alone, it sees all records of
 * the window; after an aggregate or reduce, it sees the single aggregated value.
 */
public abstract class ProcessWindowFunction<IN, OUT, K> extends RichFunction {

    public abstract void process(K key, Context ctx, Iterable<IN> elements, Collector<OUT> out) throws Exception;

    /** The window being evaluated and the time at which it fires. */
    public interface Context {
        TimeWindow window();

        long currentWatermark();

        long currentProcessingTime();

        <X> void output(OutputTag<X> tag, X value);
    }
}
