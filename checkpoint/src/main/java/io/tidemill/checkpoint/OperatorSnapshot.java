package io.tidemill.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of one operator subtask: key-group sections and an operator-state section, and its
 * binary form: {@code int groups, (int keyGroup, int length, bytes)*, int length, operator bytes}.
 */
public final class OperatorSnapshot implements SnapshotWriter {
    private final TreeMap<Integer, ByteArrayOutputStream> groups = new TreeMap<>();
    private final Map<ByteArrayOutputStream, DataOutputStream> outs = new java.util.HashMap<>();
    private final ByteArrayOutputStream operator = new ByteArrayOutputStream();
    private final DataOutputStream operatorOut = new DataOutputStream(operator);
    private final long checkpointId;
    private final List<Deferred> deferred = new ArrayList<>();

    public OperatorSnapshot(long checkpointId) {
        this.checkpointId = checkpointId;
    }

    @Override
    public long checkpointId() {
        return checkpointId;
    }

    @Override
    public DataOutput keyGroup(int keyGroup) {
        ByteArrayOutputStream b = groups.computeIfAbsent(keyGroup, k -> new ByteArrayOutputStream());
        return outs.computeIfAbsent(b, DataOutputStream::new);
    }

    @Override
    public DataOutput operatorState() {
        return operatorOut;
    }

    @Override
    public void defer(Deferred write) {
        deferred.add(write);
    }

    /**
     * Runs the deferred (asynchronous) writes; called once, on the thread that encodes the blob. If
     * one fails, the ones after it are discarded.
     */
    public void complete() throws IOException {
        try {
            while (!deferred.isEmpty()) {
                deferred.remove(0).writeTo(this);
            }
        } finally {
            discard();
        }
    }

    /** Drops the deferred writes not run yet, releasing what they captured; idempotent. */
    public void discard() {
        List<Deferred> left = new ArrayList<>(deferred);
        deferred.clear();
        for (Deferred d : left) {
            d.discard();
        }
    }

    public void writeTo(DataOutputStream out) throws IOException {
        complete();
        int nonEmpty = 0;
        for (ByteArrayOutputStream b : groups.values()) {
            nonEmpty += b.size() > 0 ? 1 : 0;
        }
        out.writeInt(nonEmpty);
        for (Map.Entry<Integer, ByteArrayOutputStream> e : groups.entrySet()) {
            if (e.getValue().size() == 0) {
                continue;
            }
            out.writeInt(e.getKey());
            out.writeInt(e.getValue().size());
            e.getValue().writeTo(out);
        }
        out.writeInt(operator.size());
        operator.writeTo(out);
    }

    /** A decoded operator subtask snapshot. */
    public record Decoded(Map<Integer, byte[]> keyGroups, byte[] operatorState) {}

    public static Decoded read(DataInput in) throws IOException {
        int n = in.readInt();
        Map<Integer, byte[]> groups = new TreeMap<>();
        for (int i = 0; i < n; i++) {
            int kg = in.readInt();
            byte[] b = new byte[in.readInt()];
            in.readFully(b);
            groups.put(kg, b);
        }
        byte[] op = new byte[in.readInt()];
        in.readFully(op);
        return new Decoded(groups, op);
    }

    /** The state of an operator that starts without a snapshot. */
    public static final RestoredState EMPTY = restored(0, List.of());

    /** A {@link RestoredState} over decoded snapshots of all old subtasks of one operator. */
    public static RestoredState restored(long checkpointId, List<Decoded> subtasks) {
        Map<Integer, byte[]> groups = new TreeMap<>();
        List<byte[]> ops = new ArrayList<>();
        for (Decoded d : subtasks) {
            groups.putAll(d.keyGroups());
            ops.add(d.operatorState());
        }
        return new RestoredState() {
            private final Map<Integer, DataInput> open = new java.util.HashMap<>();

            /** The same stream on every call, so that several readers of a group read on in order. */
            @Override
            public DataInput keyGroup(int keyGroup) {
                byte[] b = groups.get(keyGroup);
                return b == null ? null : open.computeIfAbsent(keyGroup,
                        k -> new DataInputStream(new java.io.ByteArrayInputStream(b)));
            }

            @Override
            public List<DataInput> operatorStates() {
                List<DataInput> list = new ArrayList<>();
                for (byte[] b : ops) {
                    list.add(new DataInputStream(new java.io.ByteArrayInputStream(b)));
                }
                return list;
            }

            @Override
            public long checkpointId() {
                return checkpointId;
            }
        };
    }
}
