package io.tidemill.task;

import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorException;
import io.tidemill.operator.UserFunctionException;

/**
 * Calls the next operator of a chain directly. Failures of that operator are wrapped once, here,
 * with its name and subtask.
 */
final class ChainedEmitter implements Emitter {
    private final Operator<Object, ?> next;
    private final String name;
    private final int subtask;
    private final int parallelism;

    @SuppressWarnings("unchecked")
    ChainedEmitter(Operator<?, ?> next, String name, int subtask, int parallelism) {
        this.next = (Operator<Object, ?>) next;
        this.name = name;
        this.subtask = subtask;
        this.parallelism = parallelism;
    }

    @Override
    public void emit(Object value, long timestamp) {
        try {
            next.processElement(value, timestamp);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception e) {
            throw new OperatorException(name, subtask, parallelism, unwrap(e));
        }
    }

    @Override
    public void emitWatermark(long watermark) {
        try {
            next.processWatermark(watermark);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception e) {
            throw new OperatorException(name, subtask, parallelism, unwrap(e));
        }
    }

    static Throwable unwrap(Throwable e) {
        return UserFunctionException.unwrap(e);
    }
}
