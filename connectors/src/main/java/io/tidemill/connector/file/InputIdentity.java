package io.tidemill.connector.file;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * What identifies an input file between a checkpoint and its restore: its size, modification time
 * and a checksum of its first block. A file regenerated, replaced, appended to or edited in its first
 * block differs in at least one; an edit further in that keeps the size and the time does not show.
 *
 * @param size bytes
 * @param modifiedMillis last modification time, in epoch milliseconds
 * @param firstBlockCrc CRC32C of the first {@link #FIRST_BLOCK} bytes (all of a shorter file)
 */
public record InputIdentity(long size, long modifiedMillis, long firstBlockCrc) {
    /** Bytes covered by {@link #firstBlockCrc}. */
    public static final int FIRST_BLOCK = 1 << 16;

    /** The identity of {@code file} now. */
    public static InputIdentity of(Path file) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer block = ByteBuffer.allocate(FIRST_BLOCK);
            while (block.hasRemaining() && ch.read(block) >= 0) {
                // a read may return less than asked
            }
            crc.update(block.flip());
        }
        return new InputIdentity(Files.size(file), Files.getLastModifiedTime(file).toMillis(), crc.getValue());
    }

    /** What changed from this identity to {@code now}, e.g. {@code "size 1200 -> 1400 bytes"}; empty if nothing. */
    public String changesTo(InputIdentity now) {
        List<String> changes = new ArrayList<>();
        if (size != now.size) {
            changes.add("size " + size + " -> " + now.size + " bytes");
        }
        if (modifiedMillis != now.modifiedMillis) {
            changes.add("modified " + Instant.ofEpochMilli(modifiedMillis) + " -> " + Instant.ofEpochMilli(now.modifiedMillis));
        }
        if (firstBlockCrc != now.firstBlockCrc) {
            changes.add("content of the first " + FIRST_BLOCK / 1024 + " KiB differs");
        }
        return String.join(", ", changes);
    }
}
