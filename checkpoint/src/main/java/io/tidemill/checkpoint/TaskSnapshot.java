package io.tidemill.checkpoint;

import io.tidemill.checkpoint.codec.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** The blob of one task: {@code int operators, (operator id, operator snapshot)*}. */
public final class TaskSnapshot {
    private TaskSnapshot() {}

    /** Runs the operators' deferred writes and encodes the blob; whatever happens, nothing stays captured. */
    public static byte[] encode(Map<String, OperatorSnapshot> operators) throws IOException {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(operators.size());
            for (Map.Entry<String, OperatorSnapshot> e : operators.entrySet()) {
                ValueCodec.writeString(e.getKey(), out);
                e.getValue().writeTo(out);
            }
            out.flush();
            return bytes.toByteArray();
        } finally {
            discard(operators);
        }
    }

    /** Drops a task's snapshot unencoded, releasing what its operators captured (see {@link OperatorSnapshot#discard}). */
    public static void discard(Map<String, OperatorSnapshot> operators) {
        for (OperatorSnapshot s : operators.values()) {
            s.discard();
        }
    }

    public static Map<String, OperatorSnapshot.Decoded> decode(byte[] blob) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(blob));
        int n = in.readInt();
        Map<String, OperatorSnapshot.Decoded> ops = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            String id = ValueCodec.readString(in);
            ops.put(id, OperatorSnapshot.read(in));
        }
        return ops;
    }
}
