package io.tidemill.checkpoint.codec;

/** See {@link ValueCodec}. */
public final class UnsupportedStateTypeException extends RuntimeException {
    public UnsupportedStateTypeException(String message) {
        super(message);
    }
}
