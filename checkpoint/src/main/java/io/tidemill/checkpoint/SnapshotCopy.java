package io.tidemill.checkpoint;

import io.tidemill.checkpoint.codec.CorruptSnapshotException;
import io.tidemill.checkpoint.store.SnapshotStore;
import java.io.IOException;

/**
 * Copies a completed checkpoint or savepoint to another store under the same keys: every blob its
 * metadata names, then the metadata. The metadata is the commit point, so a copy cut short (a full
 * disk, a crash) is no snapshot at all in the target, never a partial one that would restore.
 */
public final class SnapshotCopy {
    private SnapshotCopy() {}

    /**
     * Copies the snapshot under {@code prefix}.
     *
     * @throws CorruptSnapshotException if the source has no completed snapshot there or misses a blob
     * @throws IOException if a store cannot be read or written, or the target already holds one
     */
    public static void copy(SnapshotStore from, String prefix, SnapshotStore to) throws IOException {
        String metadataKey = prefix + "/_metadata";
        byte[] metadata = from.get(metadataKey);
        if (metadata == null) {
            throw new CorruptSnapshotException(prefix + ": no metadata (not a completed checkpoint)");
        }
        if (to.get(metadataKey) != null) {
            throw new IOException(to.describe() + " already holds a snapshot named " + prefix);
        }
        for (CheckpointMetadata.TaskState t : CheckpointMetadata.fromJson(metadata).tasks()) {
            byte[] blob = from.get(t.blob());
            if (blob == null) {
                throw new CorruptSnapshotException(prefix + ": blob " + t.blob() + " is missing");
            }
            to.put(t.blob(), blob);
        }
        to.put(metadataKey, metadata);
    }
}
