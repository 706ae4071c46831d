package io.tidemill.task;

import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.exchange.Barrier;
import io.tidemill.exchange.Control;
import io.tidemill.exchange.Router;
import io.tidemill.io.FileErrors;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operators fused into one task, in order, with the routers of every edge leaving the task.
 * {@link #input()} feeds the first operator (or, in a source task, the source's output).
 */
final class OperatorChain {
    private final Operator<?, ?>[] operators;
    private final String[] names;
    private final String[] ids;
    private final Router[] routers;
    private final Emitter input;
    private final int subtask;
    private final int parallelism;
    /** Operators whose end of input was called (see {@link #endInput}). */
    private int endedOperators;

    OperatorChain(List<Operator<?, ?>> operators, List<String> names, List<String> ids, List<Router> routers,
                  Emitter input, int subtask, int parallelism) {
        this.operators = operators.toArray(new Operator<?, ?>[0]);
        this.names = names.toArray(new String[0]);
        this.ids = ids.toArray(new String[0]);
        this.routers = routers.toArray(new Router[0]);
        this.input = input;
        this.subtask = subtask;
        this.parallelism = parallelism;
    }

    Emitter input() {
        return input;
    }

    /** A call into one operator. */
    @FunctionalInterface
    private interface Call {
        void on(Operator<?, ?> op) throws Exception;
    }

    /** Calls operator {@code i}, reporting a failure with its name and subtask. */
    private void call(int i, Call call) {
        try {
            call.on(operators[i]);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception e) {
            throw new OperatorException(names[i], subtask, parallelism, ChainedEmitter.unwrap(e));
        }
    }

    void finishBatch() {
        for (int i = 0; i < operators.length; i++) {
            call(i, Operator::finishBatch);
        }
    }

    /** Fires due processing-time timers; true if any operator was due. */
    boolean fireProcessingTime(long now) {
        boolean fired = false;
        for (int i = 0; i < operators.length; i++) {
            if (operators[i].nextProcessingTime() <= now) {
                fired = true;
                call(i, op -> op.onProcessingTime(now));
            }
        }
        return fired;
    }

    boolean hasProcessingTimers() {
        for (Operator<?, ?> op : operators) {
            if (op.nextProcessingTime() != Long.MAX_VALUE) {
                return true;
            }
        }
        return false;
    }

    /** True if an operator has output pending from a firing that paused on a full output. */
    boolean hasPendingOutput() {
        for (Operator<?, ?> op : operators) {
            if (op.hasPendingOutput()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Goes on with pending output, upstream operators first (finishing a firing forwards its
     * watermark, which may start one downstream); true when none is left.
     */
    boolean resumePendingOutput() {
        for (int i = 0; i < operators.length; i++) {
            if (operators[i].hasPendingOutput()) {
                call(i, Operator::resumeOutput);
                if (operators[i].hasPendingOutput()) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * End of all input: each operator in order flushes what it holds into the next, then the end goes
     * downstream. False if an operator's flush paused on a full output: call again once its pending
     * output is out, and the operators after it flush then.
     */
    boolean endInput() {
        while (endedOperators < operators.length) {
            int i = endedOperators++;
            call(i, Operator::endInput);
            if (operators[i].hasPendingOutput()) {
                return false;
            }
        }
        for (Router r : routers) {
            r.emitControl(Control.END_OF_INPUT);
        }
        return true;
    }

    /** Each operator's snapshot at barrier {@code checkpointId}, by operator id, into {@code into}. */
    void snapshot(long checkpointId, Map<String, OperatorSnapshot> into) {
        for (int i = 0; i < operators.length; i++) {
            OperatorSnapshot s = new OperatorSnapshot(checkpointId);
            call(i, op -> op.snapshotState(s));
            into.put(ids[i], s);
        }
    }

    void notifyCheckpointComplete(long checkpointId) {
        for (int i = 0; i < operators.length; i++) {
            call(i, op -> op.notifyCheckpointComplete(checkpointId));
        }
    }

    void emitPriorityBarrier(long checkpointId) {
        for (Router r : routers) {
            r.emitPriorityBarrier(checkpointId);
        }
    }

    void emitBarrier(long checkpointId) {
        Barrier b = new Barrier(checkpointId);
        for (Router r : routers) {
            r.emitBarrier(b);
        }
    }

    boolean isBlocking() {
        for (Operator<?, ?> op : operators) {
            if (op.isBlocking()) {
                return true;
            }
        }
        return false;
    }

    List<String> operatorIds() {
        return List.of(ids);
    }

    void emitIdle() {
        for (Router r : routers) {
            r.emitControl(Control.IDLE);
        }
    }

    void flush() {
        for (Router r : routers) {
            r.flush();
        }
    }

    /** Pushes waiting batches downstream; true when nothing is waiting (the task may take input). */
    boolean drain() {
        boolean clear = true;
        for (Router r : routers) {
            clear &= r.drain();
        }
        return clear;
    }

    /** Closes every operator, also after one failed; returns the first failure, naming its operator. */
    Exception close() {
        Exception first = null;
        for (int i = 0; i < operators.length; i++) {
            try {
                operators[i].close();
            } catch (Throwable e) { // an Error too: the other operators must still close
                if (first == null) {
                    first = new OperatorException(names[i], subtask, parallelism, "close: " + FileErrors.inWords(e), e);
                }
            }
        }
        return first;
    }
}
