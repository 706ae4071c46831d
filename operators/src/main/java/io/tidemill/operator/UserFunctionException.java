package io.tidemill.operator;

/**
 * Carries a checked exception of a user function through a path that cannot declare it (a window
 * sink callback, an aggregate). The engine reports the cause, not this wrapper.
 */
public final class UserFunctionException extends RuntimeException {
    public UserFunctionException(Exception cause) {
        super(cause.getMessage(), cause);
    }

    /** The exception to report: the user's own one if {@code e} only carries it. */
    public static Throwable unwrap(Throwable e) {
        return e instanceof UserFunctionException && e.getCause() != null ? e.getCause() : e;
    }
}
