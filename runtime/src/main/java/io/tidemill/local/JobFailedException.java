package io.tidemill.local;

/** A job failed; the message names the operator, subtask and cause. */
public final class JobFailedException extends RuntimeException {
    public JobFailedException(String jobName, Throwable cause) {
        super("job '" + jobName + "' failed: " + cause.getMessage(), cause);
    }
}
