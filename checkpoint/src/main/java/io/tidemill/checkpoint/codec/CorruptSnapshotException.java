package io.tidemill.checkpoint.codec;

/** See {@link ValueCodec}. */
public final class CorruptSnapshotException extends RuntimeException {
    public CorruptSnapshotException(String message) {
        super(message);
    }
}
