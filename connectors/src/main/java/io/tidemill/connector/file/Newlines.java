package io.tidemill.connector.file;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Finds line ends eight bytes at a time (SWAR: a word-wide test for a byte equal to {@code '\n'}). */
final class Newlines {
    private static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    private Newlines() {}

    /** The index of the first {@code '\n'} in {@code bytes[from, to)}, or -1. */
    static int indexOf(byte[] bytes, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long x = (long) LONG_LE.get(bytes, i) ^ NEWLINES; // a newline byte becomes zero
            // The lowest byte flagged here is the first zero byte; bytes above one may be flagged
            // falsely (a borrow), but never one below it.
            long zeros = (x - ONES) & ~x & HIGHS;
            if (zeros != 0) {
                return i + (Long.numberOfTrailingZeros(zeros) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
