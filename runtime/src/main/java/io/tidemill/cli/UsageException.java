package io.tidemill.cli;

/** A bad command line: printed as one line, without a stack trace, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message, null, false, false);
    }
}
