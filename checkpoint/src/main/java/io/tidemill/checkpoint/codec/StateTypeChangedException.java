package io.tidemill.checkpoint.codec;

/** See {@link ValueCodec}. */
public final class StateTypeChangedException extends RuntimeException {
    public StateTypeChangedException(String message) {
        super(message);
    }
}
