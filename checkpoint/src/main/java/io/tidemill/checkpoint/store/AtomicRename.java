package io.tidemill.checkpoint.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A rename that commits a file written under a temporary name: the file snapshot store's blobs, the
 * exactly-once sink's parts and plain output files all become visible this way.
 *
 * <p>The caller forces the file's contents before; the rename then replaces the target atomically
 * and the directory is forced, because the rename is only a change of the directory: without that, a
 * power loss after the rename may bring back the old name (or none) although the caller went on as if
 * the file were committed.
 */
public final class AtomicRename {
    private AtomicRename() {}

    /** Renames {@code from} to {@code to} (replacing it), then forces {@code to}'s directory to disk. */
    public static void commit(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(to.toAbsolutePath().getParent());
    }

    /**
     * Forces a directory's entries to disk. On Linux (ext4, xfs, tmpfs, overlayfs) a directory opens
     * for reading and its {@code fsync} succeeds, so a failure here is a real error and is thrown.
     */
    public static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }
}
