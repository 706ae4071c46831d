package io.tidemill.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The word-at-a-time newline search finds what a byte loop finds, at every alignment and bound. */
class NewlinesTest {
    private static int byteLoop(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void agreesWithAByteLoopOnRandomBytes() {
        Random r = new Random(11);
        for (int round = 0; round < 20_000; round++) {
            byte[] b = new byte[1 + r.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // newlines rare or dense, and the bytes around 0x0A that a borrow could confuse
                int kind = r.nextInt(10);
                b[i] = (byte) (kind == 0 ? '\n' : kind == 1 ? 0x0B : kind == 2 ? 0x09 : kind == 3 ? 0x8A
                        : kind == 4 ? 0 : r.nextInt(256));
            }
            int from = r.nextInt(b.length + 1);
            int to = from + r.nextInt(b.length - from + 1);
            assertEquals(byteLoop(b, from, to), Newlines.indexOf(b, from, to), "from " + from + " to " + to);
        }
    }

    @Test
    void findsTheFirstOfAdjacentNewlinesAndNothingPastTheBound() {
        byte[] b = "abcdefg\n\nxyz\n".getBytes();
        assertEquals(7, Newlines.indexOf(b, 0, b.length));
        assertEquals(8, Newlines.indexOf(b, 8, b.length));
        assertEquals(-1, Newlines.indexOf(b, 0, 7));
        assertEquals(12, Newlines.indexOf(b, 9, b.length));
        assertEquals(-1, Newlines.indexOf(b, 9, 12));
    }
}
