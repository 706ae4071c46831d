package io.tidemill.connector.file;

/** Decodes one line (without its terminator) into a record; throws {@link MalformedLineException}. */
@FunctionalInterface
public interface LineDecoder<T> {
    T decode(byte[] buf, int off, int len);
}
