package io.tidemill.window;

import io.tidemill.api.OutputTag;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.OperatorRuntimeContext;
import io.tidemill.operator.Output;
import io.tidemill.operator.UserFunctionException;
import io.tidemill.state.StateDescriptor;
import java.util.List;

/**
 * Emits what a fired window gives: the aggregate's result as it is, or what the window function
 * makes of it, with the window's context. Shared by the window operators.
 *
 * <p>The window function may use keyed state. From its first request for state on, the key of each
 * window it evaluates is set on the keyed state first (before that, setting it would be wasted).
 *
 * @param <R> aggregate result type
 * @param <OUT> output type
 * @param <K> key type
 */
final class WindowResults<R, OUT, K> implements ProcessWindowFunction.Context, Collector<OUT> {
    /** Null when the aggregate's result is the output. */
    private final ProcessWindowFunction<R, OUT, K> function;
    /** True when the result is the list of elements handed to the window function as is. */
    private final boolean resultIsElements;
    private OperatorContext ctx;
    private Output<OUT> out;
    private boolean functionUsesState;
    private K key;
    private TimeWindow window;
    private long watermark;

    WindowResults(ProcessWindowFunction<R, OUT, K> function, boolean resultIsElements) {
        this.function = function;
        this.resultIsElements = resultIsElements;
    }

    void open(OperatorContext ctx, Output<OUT> out) throws Exception {
        this.ctx = ctx;
        this.out = out;
        if (function != null) {
            function.open(new OperatorRuntimeContext(ctx) {
                @Override
                public <S> S state(StateDescriptor<S> descriptor) {
                    functionUsesState = true;
                    if (key != null) {
                        ctx.keyedState().setCurrentKey(key);
                    }
                    return super.state(descriptor);
                }
            });
        }
    }

    void close() throws Exception {
        if (function != null) {
            function.close();
        }
    }

    /** Emits the result of {@code key}'s window {@code w}, fired at {@code watermark}. */
    @SuppressWarnings("unchecked")
    void emit(K key, TimeWindow w, long watermark, R result) {
        if (function == null) {
            out.emit((OUT) result, w.maxTimestamp());
            return;
        }
        this.key = key;
        this.window = w;
        this.watermark = watermark;
        if (functionUsesState) {
            ctx.keyedState().setCurrentKey(key);
        }
        Iterable<R> elements = resultIsElements ? (Iterable<R>) result : List.of(result);
        try {
            function.process(key, this, elements, this);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new UserFunctionException(e);
        }
    }

    @Override
    public TimeWindow window() {
        return window;
    }

    @Override
    public long currentWatermark() {
        return watermark;
    }

    @Override
    public long currentProcessingTime() {
        return ctx.currentProcessingTime();
    }

    @Override
    public <X> void output(OutputTag<X> tag, X value) {
        out.emitSide(tag, value, window.maxTimestamp());
    }

    @Override
    public void collect(OUT value) {
        out.emit(value, window.maxTimestamp());
    }
}
