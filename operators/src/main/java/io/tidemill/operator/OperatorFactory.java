package io.tidemill.operator;

/** Creates one operator instance per subtask. */
@FunctionalInterface
public interface OperatorFactory<IN, OUT> {
    Operator<IN, OUT> create();
}
