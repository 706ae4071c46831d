package io.tidemill.checkpoint.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A micro benchmark of {@link ValueCodec} on a Nexmark-like row of four longs (no JMH; a plain main,
 * not a test): writes and reads 1.2M records per round, with a shape dictionary (the network) and
 * without (snapshots), and prints ns per record for each round and the median of the later rounds.
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
        run("Row, shapes   ", rows, rounds, true);
        run("Row, snapshot ", rows, rounds, false);
        run("Pair, shapes  ", pairs, rounds, true);
        run("Pair, snapshot", pairs, rounds, false);
    }

    private static void run(String what, Object[] values, int rounds, boolean withShapes) throws IOException {
        double[] writes = new double[rounds];
        double[] reads = new double[rounds];
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(values.length * 64);
        long check = 0;
        for (int round = 0; round < rounds; round++) {
            bytes.reset();
            DataOutputStream out = new DataOutputStream(bytes);
            ValueCodec.Shapes writer = withShapes ? new ValueCodec.Shapes() : null;
            long t0 = System.nanoTime();
            for (Object v : values) {
                ValueCodec.write(v, out, writer);
            }
            long t1 = System.nanoTime();
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes.toByteArray()));
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
        System.out.printf("%s  write %6.1f  read %6.1f  (%d bytes/record; rounds: write %s, read %s) [%d]%n", what,
                median(writes), median(reads), bytes.size() / values.length, show(writes), show(reads), check & 1);
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
