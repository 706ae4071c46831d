package io.tidemill.operator;

import io.tidemill.io.FileErrors;

/** A failure inside an operator, naming the operator and subtask; fails the job. */
public final class OperatorException extends RuntimeException {
    private final String operatorName;
    private final int subtaskIndex;

    public OperatorException(String operatorName, int subtaskIndex, int parallelism, Throwable cause) {
        super("operator '" + operatorName + "' (subtask " + subtaskIndex + " of " + parallelism + ") failed: "
                + describe(cause), cause);
        this.operatorName = operatorName;
        this.subtaskIndex = subtaskIndex;
    }

    public OperatorException(String operatorName, int subtaskIndex, int parallelism, String message) {
        super("operator '" + operatorName + "' (subtask " + subtaskIndex + " of " + parallelism + ") failed: "
                + message);
        this.operatorName = operatorName;
        this.subtaskIndex = subtaskIndex;
    }

    public OperatorException(String operatorName, int subtaskIndex, int parallelism, String message,
                             Throwable cause) {
        super("operator '" + operatorName + "' (subtask " + subtaskIndex + " of " + parallelism + ") failed: "
                + message, cause);
        this.operatorName = operatorName;
        this.subtaskIndex = subtaskIndex;
    }

    public String operatorName() {
        return operatorName;
    }

    public int subtaskIndex() {
        return subtaskIndex;
    }

    private static String describe(Throwable t) {
        return FileErrors.inWords(t);
    }
}
