package io.tidemill.checkpoint.store;

import io.tidemill.checkpoint.codec.CorruptSnapshotException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * The frame of every stored blob: magic {@code TDML}, format version, payload length, CRC32C of the
 * payload, then the payload. Readers reject other magic, unknown versions, short blobs and bad
 * checksums with {@link CorruptSnapshotException}.
 */
public final class Blobs {
    /** Version 1: the layout documented in README "Checkpoints and savepoints". */
    public static final int FORMAT_VERSION = 1;
    private static final int MAGIC = 0x54444D4C; // "TDML"
    private static final int HEADER = 4 + 4 + 4 + 4;

    private Blobs() {}

    public static byte[] frame(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        ByteBuffer b = ByteBuffer.allocate(HEADER + payload.length);
        b.putInt(MAGIC).putInt(FORMAT_VERSION).putInt(payload.length).putInt((int) crc.getValue()).put(payload);
        return b.array();
    }

    public static byte[] unframe(byte[] blob, String name) {
        if (blob.length < HEADER) {
            throw new CorruptSnapshotException(name + ": truncated (" + blob.length + " bytes)");
        }
        ByteBuffer b = ByteBuffer.wrap(blob);
        if (b.getInt() != MAGIC) {
            throw new CorruptSnapshotException(name + ": not a Tidemill snapshot blob");
        }
        int version = b.getInt();
        if (version != FORMAT_VERSION) {
            throw new CorruptSnapshotException(name + ": format version " + version + ", this build reads "
                    + FORMAT_VERSION);
        }
        int length = b.getInt();
        int checksum = b.getInt();
        if (length != blob.length - HEADER) {
            throw new CorruptSnapshotException(name + ": length " + (blob.length - HEADER) + ", header says " + length);
        }
        CRC32C crc = new CRC32C();
        crc.update(blob, HEADER, length);
        if ((int) crc.getValue() != checksum) {
            throw new CorruptSnapshotException(name + ": checksum mismatch");
        }
        byte[] payload = new byte[length];
        System.arraycopy(blob, HEADER, payload, 0, length);
        return payload;
    }
}
