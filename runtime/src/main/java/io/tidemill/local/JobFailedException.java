package io.tidemill.local;

import io.tidemill.io.FileErrors;
import java.io.IOException;

/** A job failed; the message names the operator, subtask and cause. */
public final class JobFailedException extends RuntimeException {
    public JobFailedException(String jobName, Throwable cause) {
        super("job '" + jobName + "' failed: " + (cause instanceof IOException ? FileErrors.inWords(cause)
                : cause.getMessage()), cause);
    }
}
