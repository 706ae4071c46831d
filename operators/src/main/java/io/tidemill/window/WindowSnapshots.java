package io.tidemill.window;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.util.OptionalLong;

/**
 * The end of a window operator's key-group section: the operator's watermark when the snapshot was
 * taken. Every event-time window whose last timestamp is at or below it had fired, so an operator
 * that restores another's windows knows which ones must not fire again.
 */
final class WindowSnapshots {
    private WindowSnapshots() {}

    static void writeWatermark(long watermark, DataOutput out) throws IOException {
        out.writeLong(watermark);
    }

    /** The watermark; empty for a section written before it was recorded. */
    static OptionalLong readWatermark(DataInput in) throws IOException {
        if (in instanceof InputStream s && s.available() < Long.BYTES) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(in.readLong());
    }
}
