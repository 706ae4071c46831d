package io.tidemill.connector.nexmark;

/**
 * An input record that is not a valid Nexmark event: invalid JSON, unknown or missing type, a
 * missing or mistyped field. {@link #reason()} is a short human-readable cause such as
 * {@code "missing field 'price'"}, suitable for a dead-letter record.
 *
 * <p>Malformed records are an expected part of the input, not a bug, so this exception carries
 * no stack trace: throwing it costs about as much as returning a value.
 */
public final class MalformedRecordException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception with a short reason, e.g. {@code "invalid JSON"}. */
    public MalformedRecordException(String reason) {
        super(reason, null, false, false);
    }

    /** The short cause, e.g. {@code "field 'price' must be a long"}. */
    public String reason() {
        return getMessage();
    }
}
