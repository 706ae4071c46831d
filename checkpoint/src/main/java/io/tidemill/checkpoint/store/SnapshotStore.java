package io.tidemill.checkpoint.store;

import java.io.IOException;
import java.util.List;

/**
 * Where snapshot blobs live. Blobs are framed by {@link Blobs} (format version and checksum), so a
 * corrupted or truncated blob is detected when read. Keys are paths like {@code chk-7/n3-0}.
 */
public interface SnapshotStore extends AutoCloseable {
    /** Stores a blob atomically: readers see the whole blob or none. */
    void put(String key, byte[] blob) throws IOException;

    /** The blob, or null if there is none; throws {@link io.tidemill.checkpoint.codec.CorruptSnapshotException}. */
    byte[] get(String key) throws IOException;

    void delete(String key) throws IOException;

    /** Keys starting with {@code prefix}. */
    List<String> list(String prefix) throws IOException;

    /** For logs: where the store is. */
    String describe();

    @Override
    default void close() throws IOException {}
}
