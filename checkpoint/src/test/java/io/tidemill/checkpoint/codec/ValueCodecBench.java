package io.tidemill.checkpoint.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A micro benchmark of {@link ValueCodec} on a Nexmark-like row of four longs (no JMH; a plain main,
 * not a test): writes and reads 1.2M records per round, with a shape dictionary (the network) and
 * without (snapshots), and prints ns per record for each round and the median of the later rounds.
 * Two kinds of stream: {@code DataOutputStream} over {@code ByteArrayOutputStream} (whose every call
 * takes a lock, so it measures the JDK streams as much as the codec) and the same data streams over an
 * unsynchronized array (closer to the data plane's {@code FrameOutput}).
 *
 * <p>Run: {@code java -cp checkpoint/target/classes:checkpoint/target/test-classes
 * io.tidemill.checkpoint.codec.ValueCodecBench [records] [rounds]}
 */
public final class ValueCodecBench {
    record Row(long auction, long num, long windowStart, long windowEnd) {}

    record Pair(String key, Row row) {}

    private ValueCodecBench() {}

    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_200_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        Object[] rows = new Object[n];
        Object[] pairs = new Object[n];
        for (int i = 0; i < n; i++) {
            Row r = new Row(1000 + i % 5000, i * 7L, 1_700_000_000_000L + i, 1_700_000_010_000L + i);
            rows[i] = r;
            pairs[i] = new Pair("k" + (i % 100), r);
        }
        System.out.printf("ValueCodec: %,d records per round, %d rounds; ns/record (median of the last %d rounds)%n",
                n, rounds, rounds / 2);
        for (boolean jdk : new boolean[] {true, false}) {
            String streams = jdk ? "JDK streams" : "unsynchronized";
            run("Row,  shapes,   " + streams, rows, rounds, true, jdk);
            run("Row,  snapshot, " + streams, rows, rounds, false, jdk);
            run("Pair, shapes,   " + streams, pairs, rounds, true, jdk);
            run("Pair, snapshot, " + streams, pairs, rounds, false, jdk);
        }
    }

    private static void run(String what, Object[] values, int rounds, boolean withShapes, boolean jdk)
            throws IOException {
        double[] writes = new double[rounds];
        double[] reads = new double[rounds];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(values.length * 64);
        ArrayStream array = new ArrayStream(values.length * 64);
        long check = 0;
        for (int round = 0; round < rounds; round++) {
            bytes.reset();
            array.size = 0;
            DataOutputStream out = new DataOutputStream(jdk ? bytes : array);
            ValueCodec.Shapes writer = withShapes ? new ValueCodec.Shapes() : null;
            long t0 = System.nanoTime();
            for (Object v : values) {
                ValueCodec.write(v, out, writer);
            }
            long t1 = System.nanoTime();
            DataInputStream in = new DataInputStream(jdk ? new ByteArrayInputStream(bytes.toByteArray())
                    : array.reader());
            ValueCodec.Shapes reader = withShapes ? new ValueCodec.Shapes() : null;
            long t2 = System.nanoTime();
            for (int i = 0; i < values.length; i++) {
                Object v = ValueCodec.read(in, reader);
                check += v.hashCode();
            }
            long t3 = System.nanoTime();
            writes[round] = (double) (t1 - t0) / values.length;
            reads[round] = (double) (t3 - t2) / values.length;
        }
        System.out.printf("%-30s write %6.1f  read %6.1f  (%d bytes/record; rounds: write %s, read %s) [%d]%n",
                what, median(writes), median(reads), out(jdk, bytes, array) / values.length, show(writes),
                show(reads), check & 1);
    }

    private static int out(boolean jdk, ByteArrayOutputStream bytes, ArrayStream array) {
        return jdk ? bytes.size() : array.size;
    }

    /** An output stream into a growable array, and an input stream over it, neither taking locks. */
    private static final class ArrayStream extends OutputStream {
        byte[] buf;
        int size;

        ArrayStream(int capacity) {
            buf = new byte[capacity];
        }

        @Override
        public void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (size + len > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(size + len, buf.length * 2));
            }
            System.arraycopy(b, off, buf, size, len);
            size += len;
        }

        InputStream reader() {
            return new InputStream() {
                int pos;

                @Override
                public int read() {
                    return pos < size ? buf[pos++] & 0xff : -1;
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    if (pos >= size) {
                        return -1;
                    }
                    int n = Math.min(len, size - pos);
                    System.arraycopy(buf, pos, b, off, n);
                    pos += n;
                    return n;
                }
            };
        }
    }

    private static double median(double[] all) {
        double[] later = Arrays.copyOfRange(all, all.length - all.length / 2, all.length);
        Arrays.sort(later);
        return later[later.length / 2];
    }

    private static String show(double[] a) {
        StringBuilder b = new StringBuilder();
        for (double x : a) {
            b.append(b.length() == 0 ? "" : " ").append(Math.round(x));
        }
        return b.toString();
    }
}
