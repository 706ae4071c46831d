package io.tidemill.operator;

import io.tidemill.api.function.RuntimeContext;
import io.tidemill.state.StateDescriptor;

/** The {@link RuntimeContext} user functions see, backed by their operator's context. */
public class OperatorRuntimeContext implements RuntimeContext {
    private final OperatorContext ctx;

    public OperatorRuntimeContext(OperatorContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public String operatorName() {
        return ctx.operatorName();
    }

    @Override
    public int subtaskIndex() {
        return ctx.subtaskIndex();
    }

    @Override
    public int parallelism() {
        return ctx.parallelism();
    }

    @Override
    public <S> S state(StateDescriptor<S> descriptor) {
        if (ctx.keyedState() == null) {
            throw new IllegalStateException("operator '" + ctx.operatorName() + "' is not keyed: keyed state "
                    + "needs a keyBy before it");
        }
        return ctx.keyedState().state(descriptor);
    }
}
