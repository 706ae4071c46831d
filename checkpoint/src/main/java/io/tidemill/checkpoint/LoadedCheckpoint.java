package io.tidemill.checkpoint;

import io.tidemill.checkpoint.codec.CorruptSnapshotException;
import io.tidemill.checkpoint.store.SnapshotStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A completed checkpoint or savepoint read back from a store: its metadata and, per operator id, the
 * snapshots of all its old subtasks in subtask order. Every blob is read and verified when loading,
 * so a corrupted or missing blob is found before the job starts; {@link #latest} then falls back to
 * the previous completed checkpoint.
 *
 * <p>Corruption and I/O errors are told apart: a bad checksum, frame or encoding is a
 * {@link CorruptSnapshotException} (that checkpoint is unusable, an older one may do), while an
 * {@link IOException} says the store could not be read at all (permissions, a failing disk, a missing
 * mount). Falling back on an I/O error would silently resume from older state, or from none, and a
 * fresh start makes exactly-once sinks delete the output they committed; so it fails the restore.
 */
public record LoadedCheckpoint(String prefix, CheckpointMetadata metadata,
                               Map<String, List<OperatorSnapshot.Decoded>> operators) {
    private static final Logger LOG = LoggerFactory.getLogger(LoadedCheckpoint.class);

    /** The state of one operator, or {@link OperatorSnapshot#EMPTY} if the snapshot has none. */
    public RestoredState stateOf(String operatorId) {
        List<OperatorSnapshot.Decoded> subtasks = operators.get(operatorId);
        return subtasks == null ? OperatorSnapshot.restored(metadata.checkpointId(), List.of())
                : OperatorSnapshot.restored(metadata.checkpointId(), subtasks);
    }

    /** True if some subtask of the operator saved keyed or operator state (stateless ones save none). */
    public boolean hasState(String operatorId) {
        for (OperatorSnapshot.Decoded d : operators.getOrDefault(operatorId, List.of())) {
            if (!d.keyGroups().isEmpty() || d.operatorState().length > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the snapshot under {@code prefix}.
     *
     * @throws CorruptSnapshotException if a part is missing or does not decode
     * @throws IOException if the store cannot be read
     */
    public static LoadedCheckpoint load(SnapshotStore store, String prefix) throws IOException {
        byte[] meta = store.get(prefix + "/_metadata");
        if (meta == null) {
            throw new CorruptSnapshotException(prefix + ": no metadata (not a completed checkpoint)");
        }
        CheckpointMetadata m;
        try {
            m = CheckpointMetadata.fromJson(meta);
        } catch (IOException e) { // decoding bytes already read: a format error, not an I/O one
            throw new CorruptSnapshotException(prefix + "/_metadata: " + e.getMessage());
        }
        Map<String, List<OperatorSnapshot.Decoded>> ops = new HashMap<>();
        List<CheckpointMetadata.TaskState> tasks = new ArrayList<>(m.tasks());
        tasks.sort(Comparator.comparingInt(CheckpointMetadata.TaskState::vertex)
                .thenComparingInt(CheckpointMetadata.TaskState::subtask));
        for (CheckpointMetadata.TaskState t : tasks) {
            byte[] blob = store.get(t.blob());
            if (blob == null) {
                throw new CorruptSnapshotException(prefix + ": blob " + t.blob() + " is missing");
            }
            Map<String, OperatorSnapshot.Decoded> decoded;
            try {
                decoded = TaskSnapshot.decode(blob);
            } catch (IOException e) { // decoding bytes already read: a format error, not an I/O one
                throw new CorruptSnapshotException(t.blob() + ": " + e);
            }
            for (Map.Entry<String, OperatorSnapshot.Decoded> e : decoded.entrySet()) {
                ops.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
            }
        }
        return new LoadedCheckpoint(prefix, m, ops);
    }

    /** Ids of the completed checkpoints in the store (those with metadata), oldest first. */
    public static List<Long> completedIds(SnapshotStore store) throws IOException {
        return ids(store.list("chk-"), true);
    }

    /** Ids of the checkpoints with blobs in the store but no metadata (never completed), ascending. */
    public static List<Long> incompleteIds(SnapshotStore store) throws IOException {
        List<String> keys = store.list("chk-");
        List<Long> incomplete = ids(keys, false);
        incomplete.removeAll(ids(keys, true));
        return incomplete;
    }

    /** The highest checkpoint id with anything in the store, completed or not; 0 if none. */
    public static long highestIdInStore(SnapshotStore store) throws IOException {
        List<Long> ids = ids(store.list("chk-"), false);
        return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
    }

    /** The checkpoint ids among a store's {@code chk-} keys, ascending. */
    private static List<Long> ids(List<String> keys, boolean completedOnly) {
        List<Long> ids = new ArrayList<>();
        for (String k : keys) {
            int slash = k.indexOf('/');
            if (slash < 0 || completedOnly && !k.endsWith("/_metadata")) {
                continue;
            }
            try {
                long id = Long.parseLong(k.substring(4, slash));
                if (!ids.contains(id)) {
                    ids.add(id);
                }
            } catch (NumberFormatException e) {
                // not ours
            }
        }
        ids.sort(null);
        return ids;
    }

    /**
     * The newest completed checkpoint that loads cleanly, or null if the store holds none. A corrupt
     * one is skipped with a warning naming what is wrong.
     *
     * @throws CorruptSnapshotException if there are completed checkpoints and every one is corrupt;
     *         the message names each and why
     * @throws IOException if the store cannot be read: no older state is tried
     */
    public static LoadedCheckpoint latest(SnapshotStore store) throws IOException {
        List<Long> ids = completedIds(store);
        List<String> reasons = new ArrayList<>();
        for (int i = ids.size() - 1; i >= 0; i--) {
            String prefix = "chk-" + ids.get(i);
            try {
                return load(store, prefix);
            } catch (CorruptSnapshotException e) {
                LOG.warn("checkpoint {} in {} cannot be restored ({}); falling back to the previous one", ids.get(i),
                        store.describe(), e.getMessage());
                reasons.add(prefix + " (" + e.getMessage() + ")");
            }
        }
        if (!reasons.isEmpty()) {
            throw new CorruptSnapshotException("none of the " + reasons.size() + " completed checkpoints in "
                    + store.describe() + " can be restored: " + String.join("; ", reasons));
        }
        return null;
    }
}
