package io.tidemill.checkpoint.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Record shape dictionaries ({@link ValueCodec.Shapes}): the network encoding of records. */
class ValueCodecShapesTest {
    record Point(long x, long y) {}

    record Line(Point from, Point to, String label) {}

    record Holder(List<Point> points, Map<String, Line> lines, Object[] array) {}

    record Other(long x, long z) {}

    private static byte[] encode(Object v, ValueCodec.Shapes shapes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ValueCodec.write(v, new DataOutputStream(bytes), shapes);
        return bytes.toByteArray();
    }

    private static Object decode(byte[] b, ValueCodec.Shapes shapes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        Object v = ValueCodec.read(in, shapes);
        assertEquals(-1, in.read(), "bytes left over");
        return v;
    }

    private static int occurrences(byte[] haystack, String needle) {
        byte[] n = needle.getBytes(StandardCharsets.UTF_8);
        int count = 0;
        outer:
        for (int i = 0; i + n.length <= haystack.length; i++) {
            for (int j = 0; j < n.length; j++) {
                if (haystack[i + j] != n[j]) {
                    continue outer;
                }
            }
            count++;
        }
        return count;
    }

    @Test
    void definesEachShapeOnceThenRefersToIt() throws IOException {
        ValueCodec.Shapes writer = new ValueCodec.Shapes();
        ValueCodec.Shapes reader = new ValueCodec.Shapes();
        Line first = new Line(new Point(1, 2), new Point(3, 4), "a");
        byte[] defining = encode(first, writer);
        assertEquals(1, occurrences(defining, Line.class.getName()));
        assertEquals(1, occurrences(defining, Point.class.getName()), "nested Point defined once, then referred to");
        assertEquals(2, writer.size());
        assertEquals(first, decode(defining, reader));
        assertEquals(2, reader.size());

        Line second = new Line(new Point(5, 6), null, "b");
        byte[] referring = encode(second, writer);
        assertEquals(0, occurrences(referring, Point.class.getName()));
        assertEquals(0, occurrences(referring, Line.class.getName()));
        assertTrue(referring.length < encode(second, null).length / 2,
                referring.length + " bytes with shapes, " + encode(second, null).length + " without");
        assertEquals(second, decode(referring, reader));
        assertEquals(2, writer.size());
    }

    @Test
    void recordsInListsMapsAndArraysShareTheDictionary() throws IOException {
        ValueCodec.Shapes writer = new ValueCodec.Shapes();
        ValueCodec.Shapes reader = new ValueCodec.Shapes();
        List<Point> points = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            points.add(new Point(i, -i));
        }
        Holder h = new Holder(points, Map.of("l", new Line(new Point(7, 8), new Point(9, 10), "l")),
                new Object[] {new Point(11, 12), new Other(1, 2), "s"});
        byte[] b = encode(h, writer);
        assertEquals(1, occurrences(b, Point.class.getName()));
        assertEquals(1, occurrences(b, Other.class.getName()));
        Holder back = (Holder) decode(b, reader);
        assertEquals(h.points(), back.points());
        assertEquals(h.lines(), back.lines());
        assertArrayEquals(h.array(), back.array());
        assertEquals(4, reader.size());

        List<Object> again = List.of(new Other(3, 4), new Point(5, 6), List.of(new Point(7, 8)));
        byte[] b2 = encode(again, writer);
        assertEquals(0, occurrences(b2, "ValueCodecShapesTest"));
        assertEquals(again, decode(b2, reader));
    }

    @Test
    void unknownReferenceFailsWithIOException() throws IOException {
        ValueCodec.Shapes writer = new ValueCodec.Shapes();
        encode(new Point(1, 2), writer); // defines Point as 0, which this reader never sees
        byte[] ref = encode(new Point(3, 4), writer);
        IOException e = assertThrows(IOException.class, () -> decode(ref, new ValueCodec.Shapes()));
        assertTrue(e.getMessage().contains("record shape 0"), e.getMessage());
    }

    @Test
    void definitionOutOfOrderFailsWithIOException() throws IOException {
        ValueCodec.Shapes writer = new ValueCodec.Shapes();
        encode(new Point(1, 2), writer);
        byte[] second = encode(new Other(3, 4), writer); // defines id 1
        assertThrows(IOException.class, () -> decode(second, new ValueCodec.Shapes()));
    }

    @Test
    void shapeReferencesAreRefusedWithoutADictionary() throws IOException {
        byte[] def = encode(new Point(1, 2), new ValueCodec.Shapes());
        assertThrows(CorruptSnapshotException.class, () -> decode(def, null));
    }

    @Test
    void definitionIsValidatedAgainstTheClass() throws IOException {
        // A definition naming Point with the components of Other (a changed class, as at restore).
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeByte(19); // RECORD_DEF
        out.writeShort(0);
        ValueCodec.writeString(Point.class.getName(), out);
        out.writeByte(2);
        ValueCodec.writeString("x", out);
        ValueCodec.writeString("z", out);
        out.writeByte(1); // LONG
        out.writeLong(1);
        out.writeByte(1);
        out.writeLong(2);
        assertThrows(StateTypeChangedException.class, () -> decode(bytes.toByteArray(), new ValueCodec.Shapes()));
    }

    @Test
    void rollbackDefinesTheShapesAgain() throws IOException {
        ValueCodec.Shapes writer = new ValueCodec.Shapes();
        ValueCodec.Shapes reader = new ValueCodec.Shapes();
        int mark = writer.mark();
        encode(new Line(new Point(1, 2), new Point(3, 4), "lost"), writer); // bytes discarded
        writer.rollback(mark);
        assertEquals(0, writer.size());
        Line l = new Line(new Point(5, 6), new Point(7, 8), "sent");
        assertEquals(l, decode(encode(l, writer), reader));
    }

    @Test
    void snapshotEncodingIsUnchanged() throws IOException {
        // The encoding without a dictionary, byte for byte as before shape dictionaries existed.
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(8); // LIST
        out.writeInt(2);
        for (long[] p : new long[][] {{1, 2}, {3, 4}}) {
            out.writeByte(10); // RECORD
            ValueCodec.writeString(Point.class.getName(), out);
            out.writeByte(2);
            ValueCodec.writeString("x", out);
            out.writeByte(1); // LONG
            out.writeLong(p[0]);
            ValueCodec.writeString("y", out);
            out.writeByte(1);
            out.writeLong(p[1]);
        }
        List<Point> value = List.of(new Point(1, 2), new Point(3, 4));
        assertArrayEquals(expected.toByteArray(), encode(value, null));
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        ValueCodec.write(value, new DataOutputStream(plain));
        assertArrayEquals(expected.toByteArray(), plain.toByteArray());
        assertEquals(value, decode(expected.toByteArray(), null));
        assertEquals(value, ValueCodec.read(new DataInputStream(new ByteArrayInputStream(expected.toByteArray()))));
    }
}
