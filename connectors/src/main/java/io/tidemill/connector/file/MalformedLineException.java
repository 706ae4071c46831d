package io.tidemill.connector.file;

/** A line that is not a valid record; {@link #getMessage()} is the short reason for the dead letter. */
public class MalformedLineException extends RuntimeException {
    public MalformedLineException(String reason) {
        super(reason, null, false, false);
    }
}
