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
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records through {@link ValueCodec}'s per-class handles: every primitive component type, byte for
 * byte as the boxed encoding wrote it, and what a restore into a changed class does.
 */
@Timeout(30)
class ValueCodecRecordComponentsTest {
    record Primitives(long l, int i, double d, boolean z, float f, short s, byte b, char c) {}

    record Boxes(Long l, Integer i, Double d, Boolean z, Float f, Short s, Byte b, Character c) {}

    record Mixed(String name, Primitives p, Boxes boxes, List<Object> list, long last) {}

    /** Written as {@code Narrow}, read back as {@link Widened}: an int component that became a long. */
    record Narrow(int x, short y) {}

    record Widened(long x, double y) {}

    /** Written as {@code Maybe} with null, read back as {@link Definitely}: a Long that became a long. */
    record Maybe(Long x) {}

    record Definitely(long x) {}

    /** A component whose type changed from long to String (read from a {@link Definitely}). */
    record Retyped(String x) {}

    record Positive(long x) {
        Positive {
            if (x <= 0) {
                throw new IllegalArgumentException("x must be positive, is " + x);
            }
        }
    }

    /** Written as {@code Signed}, read back as {@link Positive} whose constructor refuses the value. */
    record Signed(long x) {}

    record Failing(long x) {
        @Override
        public long x() {
            throw new IllegalStateException("accessor fails");
        }
    }

    /** Nearly as many components as a constructor takes (255 slots, a long takes two), more than the handles do. */
    record Wide(long c0, long c1, long c2, long c3, long c4, long c5, long c6, long c7, long c8, long c9, long c10, long c11, long c12, long c13, long c14, long c15, long c16, long c17, long c18, long c19, long c20, long c21, long c22, long c23, long c24, long c25, long c26, long c27, long c28, long c29, long c30, long c31, long c32, long c33, long c34, long c35, long c36, long c37, long c38, long c39, long c40, long c41, long c42, long c43, long c44, long c45, long c46, long c47, long c48, long c49, long c50, long c51, long c52, long c53, long c54, long c55, long c56, long c57, long c58, long c59, long c60, long c61, long c62, long c63, long c64, long c65, long c66, long c67, long c68, long c69, long c70, long c71, long c72, long c73, long c74, long c75, long c76, long c77, long c78, long c79, long c80, long c81, long c82, long c83, long c84, long c85, long c86, long c87, long c88, long c89, long c90, long c91, long c92, long c93, long c94, long c95, long c96, long c97, long c98, long c99, long c100, long c101, long c102, long c103, long c104, long c105, long c106, long c107, long c108, long c109, long c110, long c111, long c112, long c113, long c114, long c115, long c116, long c117, long c118, long c119, long c120, long c121, long c122, long c123, long c124, long c125) {}

    private static final Primitives P = new Primitives(Long.MIN_VALUE, -7, Double.NaN, true, -1.5f, (short) -300,
            (byte) 0x80, '\u00e9');

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

    /** Replaces a length-prefixed UTF-8 string (as {@link ValueCodec#writeString} writes it) in {@code b}. */
    private static byte[] renamed(byte[] b, Class<?> from, Class<?> to) {
        byte[] old = framed(from.getName());
        byte[] now = framed(to.getName());
        for (int i = 0; i + old.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + old.length, old, 0, old.length)) {
                byte[] out = new byte[b.length - old.length + now.length];
                System.arraycopy(b, 0, out, 0, i);
                System.arraycopy(now, 0, out, i, now.length);
                System.arraycopy(b, i + old.length, out, i + now.length, b.length - i - old.length);
                return out;
            }
        }
        throw new AssertionError(from.getName() + " not found in the encoded bytes");
    }

    private static byte[] framed(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).array();
    }

    /** The values of {@link #P} as the encoding of their boxes, each preceded by its component name if named. */
    private static void writeBoxedValues(DataOutputStream out, boolean named) throws IOException {
        String[] names = {"l", "i", "d", "z", "f", "s", "b", "c"};
        Object[] values = {P.l(), P.i(), P.d(), P.z(), P.f(), P.s(), P.b(), P.c()};
        for (int k = 0; k < names.length; k++) {
            if (named) {
                out.write(framed(names[k]));
            }
            ValueCodec.write(values[k], out);
        }
    }

    @Test
    void givenEveryPrimitiveComponentType_whenWrittenWithoutShapes_thenTheBytesAreThoseOfTheBoxedValues()
            throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(10); // RECORD
        out.write(framed(Primitives.class.getName()));
        out.writeByte(8);
        writeBoxedValues(out, true);

        assertArrayEquals(expected.toByteArray(), encode(P, null));
        assertEquals(P, decode(expected.toByteArray(), null));
    }

    @Test
    void givenEveryPrimitiveComponentType_whenWrittenWithShapes_thenTheBytesAreThoseOfTheBoxedValues()
            throws IOException {
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(expected);
        out.writeByte(19); // RECORD_DEF
        out.writeShort(0);
        out.write(framed(Primitives.class.getName()));
        out.writeByte(8);
        for (String name : new String[] {"l", "i", "d", "z", "f", "s", "b", "c"}) {
            out.write(framed(name));
        }
        writeBoxedValues(out, false);
        out.writeByte(20); // RECORD_REF
        out.writeShort(0);
        writeBoxedValues(out, false);

        ValueCodec.Shapes writer = new ValueCodec.Shapes();
        ByteArrayOutputStream actual = new ByteArrayOutputStream();
        ValueCodec.write(P, new DataOutputStream(actual), writer);
        ValueCodec.write(P, new DataOutputStream(actual), writer);
        assertArrayEquals(expected.toByteArray(), actual.toByteArray());
        ValueCodec.Shapes reader = new ValueCodec.Shapes();
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(expected.toByteArray()));
        assertEquals(P, ValueCodec.read(in, reader));
        assertEquals(P, ValueCodec.read(in, reader));
        assertEquals(-1, in.read());
    }

    @Test
    void givenNestedRecordsBoxesAndNulls_whenWrittenAndRead_thenTheyAreEqualWithAndWithoutShapes()
            throws IOException {
        Boxes boxes = new Boxes(1L, null, 2.5, false, null, (short) 3, null, 'x');
        Mixed m = new Mixed("m", P, boxes, Arrays.asList(P, null, boxes), 42);
        Mixed nulls = new Mixed(null, null, new Boxes(null, null, null, null, null, null, null, null), null, -1);
        ValueCodec.Shapes writer = new ValueCodec.Shapes();
        ValueCodec.Shapes reader = new ValueCodec.Shapes();
        for (Mixed v : List.of(m, nulls, m)) {
            assertEquals(v, decode(encode(v, null), null));
            assertEquals(v, decode(encode(v, writer), reader));
        }
    }

    @Test
    void givenMoreComponentsThanHandlesTake_whenWrittenAndRead_thenTheRecordIsEqual() throws Exception {
        Object[] args = new Object[126];
        for (int i = 0; i < args.length; i++) {
            args[i] = (long) i * 31;
        }
        Wide w = (Wide) Wide.class.getDeclaredConstructors()[0].newInstance(args);
        ValueCodec.Shapes writer = new ValueCodec.Shapes();
        ValueCodec.Shapes reader = new ValueCodec.Shapes();

        assertEquals(w, decode(encode(w, null), null));
        assertEquals(w, decode(encode(w, writer), reader));
        assertEquals(w, decode(encode(w, writer), reader));
    }

    @Test
    void givenANarrowerPrimitiveInTheSnapshot_whenReadIntoAWiderComponent_thenItIsWidenedAsReflectionDid()
            throws IOException {
        byte[] written = renamed(encode(new Narrow(-5, (short) 7), null), Narrow.class, Widened.class);

        assertEquals(new Widened(-5L, 7.0), decode(written, null));
    }

    @Test
    void givenANetworkStreamWhoseSenderHasANarrowerPrimitive_whenRead_thenStateTypeChangedNamesTheComponent()
            throws IOException {
        // Both ends of a stream run the same classes: no widening there (records of primitives are read in one piece).
        ValueCodec.Shapes writer = new ValueCodec.Shapes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        ValueCodec.write(new Narrow(1, (short) 2), out, writer);
        ValueCodec.write(new Narrow(3, (short) 4), out, writer);
        byte[] written = renamed(bytes.toByteArray(), Narrow.class, Widened.class);

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class,
                () -> decode(written, new ValueCodec.Shapes()));

        assertTrue(e.getMessage().contains("cannot rebuild " + Widened.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("'x'"), e.getMessage());
    }

    @Test
    void givenANullInTheSnapshot_whenReadIntoAPrimitiveComponent_thenStateTypeChangedNamesTheComponent()
            throws IOException {
        byte[] written = renamed(encode(new Maybe(null), null), Maybe.class, Definitely.class);

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class, () -> decode(written, null));

        assertTrue(e.getMessage().contains("cannot rebuild " + Definitely.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("'x' holds null"), e.getMessage());
    }

    @Test
    void givenAShapeDefinitionOfAChangedType_whenRead_thenStateTypeChangedNamesTheComponentAndTypes()
            throws IOException {
        byte[] written = renamed(encode(new Definitely(3), new ValueCodec.Shapes()), Definitely.class, Retyped.class);

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class,
                () -> decode(written, new ValueCodec.Shapes()));

        assertTrue(e.getMessage().contains("cannot rebuild " + Retyped.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.Long"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    @Test
    void givenAConstructorThatRefusesTheValues_whenRead_thenStateTypeChangedCarriesItsReason() throws IOException {
        for (ValueCodec.Shapes shapes : Arrays.asList(null, new ValueCodec.Shapes())) {
            byte[] written = renamed(encode(new Signed(-1), shapes), Signed.class, Positive.class);

            StateTypeChangedException e = assertThrows(StateTypeChangedException.class,
                    () -> decode(written, shapes == null ? null : new ValueCodec.Shapes()));

            assertTrue(e.getMessage().contains("cannot rebuild " + Positive.class.getName()), e.getMessage());
            assertTrue(e.getMessage().contains("x must be positive"), e.getMessage());
        }
    }

    @Test
    void givenAnAccessorThatThrows_whenWritten_thenAnIOExceptionNamesTheComponentAndTheRecord() {
        for (ValueCodec.Shapes shapes : Arrays.asList(null, new ValueCodec.Shapes())) {
            IOException e = assertThrows(IOException.class, () -> encode(new Failing(1), shapes));

            assertTrue(e.getMessage().contains("component x of " + Failing.class.getName()), e.getMessage());
            assertEquals("accessor fails", e.getCause().getMessage());
        }
    }
}
