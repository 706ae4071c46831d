package io.tidemill.checkpoint.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** State values through {@link ValueCodec}: round trips, refusals at write, and what a restore detects. */
class ValueCodecTest {
    enum Colour { RED, GREEN }

    record Point(long x, long y) {}

    /** {@link Point} after a component was renamed. */
    record PointRenamed(long x, long z) {}

    /** {@link Point} after a component was added. */
    record PointWithZ(long x, long y, long z) {}

    /** {@link Point} after a component changed its type. */
    record PointTyped(long x, String y) {}

    record Line(Point from, Point to, Colour colour) {}

    record Shape(String name, List<Line> lines, Map<Colour, Point> anchors, Set<String> tags, Optional<Void> none) {
        Shape(String name, List<Line> lines, Map<Colour, Point> anchors, Set<String> tags) {
            this(name, lines, anchors, tags, null);
        }
    }

    private record Secret(String value, int version, Nested nested) {
        private record Nested(double weight) {}
    }

    /** A type the built-in encoding does not cover, with a registered codec. */
    static final class Money {
        final long cents;
        final String currency;

        Money(long cents, String currency) {
            this.cents = cents;
            this.currency = currency;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Money m && m.cents == cents && m.currency.equals(currency);
        }

        @Override
        public int hashCode() {
            return Objects.hash(cents, currency);
        }

        @Override
        public String toString() {
            return cents + " " + currency;
        }
    }

    /** Neither a record nor registered. */
    static final class Unregistered {}

    /** Counts loads and constructions of {@link Canary}, which must never happen from a snapshot. */
    static final AtomicInteger CANARY_TOUCHED = new AtomicInteger();

    /** A plain class a tampered snapshot names as a record. */
    static final class Canary {
        static {
            CANARY_TOUCHED.incrementAndGet();
        }

        Canary() {
            CANARY_TOUCHED.incrementAndGet();
        }
    }

    static {
        ValueCodec.register(Money.class, new ValueCodec.Codec<>() {
            @Override
            public void write(Money m, DataOutput out) throws IOException {
                out.writeLong(m.cents);
                out.writeUTF(m.currency);
            }

            @Override
            public Money read(DataInput in) throws IOException {
                return new Money(in.readLong(), in.readUTF());
            }
        });
    }

    private static byte[] encode(Object v) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ValueCodec.write(v, new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static Object decode(byte[] b) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(b));
        Object v = ValueCodec.read(in);
        assertEquals(0, in.available(), "the value consumed exactly its bytes");
        return v;
    }

    /** Replaces a length-prefixed UTF-8 string (as {@link ValueCodec#writeString} writes it) in {@code b}. */
    private static byte[] replaceString(byte[] b, String old, String replacement) {
        byte[] from = framed(old);
        byte[] to = framed(replacement);
        for (int i = 0; i + from.length <= b.length; i++) {
            if (Arrays.equals(b, i, i + from.length, from, 0, from.length)) {
                byte[] out = new byte[b.length - from.length + to.length];
                System.arraycopy(b, 0, out, 0, i);
                System.arraycopy(to, 0, out, i, to.length);
                System.arraycopy(b, i + from.length, out, i + to.length, b.length - i - from.length);
                return out;
            }
        }
        throw new AssertionError("'" + old + "' not found in the encoded bytes");
    }

    private static byte[] framed(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).array();
    }

    // ---- round trips ----

    static Stream<Arguments> values() {
        Point p = new Point(1, -2);
        Line line = new Line(p, new Point(Long.MAX_VALUE, Long.MIN_VALUE), Colour.GREEN);
        return Stream.of(
                Arguments.of("null", null),
                Arguments.of("long", 42L),
                Arguments.of("long min", Long.MIN_VALUE),
                Arguments.of("int", -7),
                Arguments.of("double", 3.25d),
                Arguments.of("double NaN", Double.NaN),
                Arguments.of("float", 1.5f),
                Arguments.of("short", (short) -300),
                Arguments.of("byte", (byte) 0x7f),
                Arguments.of("char", 'é'),
                Arguments.of("boolean", true),
                Arguments.of("empty string", ""),
                Arguments.of("unicode string", "tidé — 潮 🌊 \u0000 end"),
                Arguments.of("long[]", new long[] {0, -1, Long.MAX_VALUE}),
                Arguments.of("empty long[]", new long[0]),
                Arguments.of("byte[]", new byte[] {1, 2, -3}),
                Arguments.of("Object[]", new Object[] {1L, "two", null, new long[] {3}, List.of(4)}),
                Arguments.of("list", List.of(1L, "x", 2.0d)),
                Arguments.of("list with null", Arrays.asList("a", null, "b")),
                Arguments.of("set", Set.of("a", "b", "c")),
                Arguments.of("map", Map.of("a", 1L, "b", List.of(2L, 3L))),
                Arguments.of("enum", Colour.RED),
                Arguments.of("record", p),
                Arguments.of("nested records", line),
                Arguments.of("records in collections", new Shape("triangle", List.of(line, line),
                        Map.of(Colour.RED, p), Set.of("closed"))),
                Arguments.of("private nested record", new Secret("s3cr3t", 2, new Secret.Nested(0.5))),
                Arguments.of("registered codec", new Money(1999, "EUR")),
                Arguments.of("registered codec inside a list", List.of(new Money(1, "CHF"), p)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("values")
    void givenASupportedValue_whenWrittenAndRead_thenItIsEqual(String what, Object value) throws IOException {
        Object back = decode(encode(value));

        assertTrue(Objects.deepEquals(value, back), () -> what + ": wrote " + show(value) + ", read " + show(back));
        if (value != null) {
            assertTrue(back == null || value.getClass() == back.getClass() || value instanceof java.util.Collection
                    || value instanceof Map, () -> what + ": read a " + back.getClass());
        }
    }

    private static String show(Object v) {
        return v instanceof Object[] a ? Arrays.deepToString(a) : v instanceof long[] a ? Arrays.toString(a)
                : v instanceof byte[] a ? Arrays.toString(a) : String.valueOf(v);
    }

    @Test
    void givenAMapRead_thenItIsMutable() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, Long> back = (Map<String, Long>) decode(encode(Map.of("a", 1L)));

        back.put("b", 2L);

        assertEquals(2, back.size());
    }

    // ---- refusals at write ----

    static Stream<Arguments> unsupported() {
        return Stream.of(
                // where, value, the type the message must name
                Arguments.of("plain class", new Unregistered(), Unregistered.class.getName()),
                Arguments.of("JDK class", Optional.of(1), "java.util.Optional"),
                Arguments.of("inside a list", List.of(1L, new Unregistered()), Unregistered.class.getName()),
                Arguments.of("inside a map", Map.of("k", new StringBuilder("v")), "java.lang.StringBuilder"),
                Arguments.of("record component", new Shape("s", List.of(), Map.of(), Set.of(), Optional.empty()),
                        "java.util.Optional"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void givenAnUnsupportedType_whenWritten_thenItIsRefusedNamingTheTypeAndTheWayOut(
            String where, Object value, String type) {
        UnsupportedStateTypeException e = assertThrows(UnsupportedStateTypeException.class, () -> encode(value));

        assertTrue(e.getMessage().contains(type), e.getMessage());
        assertTrue(e.getMessage().contains("use a record"), e.getMessage());
        assertTrue(e.getMessage().contains("register a codec"), e.getMessage());
    }

    // ---- what a restore detects ----

    static Stream<Arguments> changedRecords() {
        return Stream.of(
                Arguments.of(PointRenamed.class, List.of("changed", "'y'", "'z'")),
                Arguments.of(PointWithZ.class, List.of("changed", "2 components", "has 3")),
                Arguments.of(PointTyped.class, List.of("cannot rebuild")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changedRecords")
    void givenARecordWhoseClassChanged_whenRead_thenStateTypeChangedNamesTheTypeAndTheChange(
            Class<?> now, List<String> explained) throws IOException {
        byte[] written = replaceString(encode(new Point(1, 2)), Point.class.getName(), now.getName());

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class, () -> decode(written));

        assertTrue(e.getMessage().contains(now.getName()), e.getMessage());
        for (String part : explained) {
            assertTrue(e.getMessage().contains(part), () -> "'" + part + "' in: " + e.getMessage());
        }
    }

    @Test
    void givenARecordClassNotOnTheClasspath_whenRead_thenStateTypeChangedSaysSo() throws IOException {
        String gone = ValueCodecTest.class.getName() + "$Removed";
        byte[] written = replaceString(encode(new Line(new Point(1, 2), new Point(3, 4), Colour.RED)),
                Point.class.getName(), gone);

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class, () -> decode(written));

        assertTrue(e.getMessage().contains(gone), e.getMessage());
        assertTrue(e.getMessage().contains("not on the classpath"), e.getMessage());
    }

    @Test
    void givenAnEnumClassNotOnTheClasspath_whenRead_thenStateTypeChangedSaysSo() throws IOException {
        byte[] written = replaceString(encode(Colour.RED), Colour.class.getName(), "no.such.Colour");

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class, () -> decode(written));

        assertTrue(e.getMessage().contains("no.such.Colour"), e.getMessage());
        assertTrue(e.getMessage().contains("not on the classpath"), e.getMessage());
    }

    @Test
    void givenANonRecordClassNamedAsARecord_whenRead_thenItIsRefusedWithoutLoadingOrConstructingIt()
            throws IOException {
        byte[] written = replaceString(encode(new Point(1, 2)), Point.class.getName(), Canary.class.getName());

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class, () -> decode(written));

        assertTrue(e.getMessage().contains(Canary.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("no longer is"), e.getMessage());
        assertEquals(0, CANARY_TOUCHED.get(), "the class was neither initialised nor instantiated");
    }

    @Test
    void givenAJdkClassNamedAsARecord_whenRead_thenItIsRefused() throws IOException {
        byte[] written = replaceString(encode(new Point(1, 2)), Point.class.getName(), "java.lang.ProcessBuilder");

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class, () -> decode(written));

        assertTrue(e.getMessage().contains("java.lang.ProcessBuilder"), e.getMessage());
    }

    @Test
    void givenANonEnumClassNamedAsAnEnum_whenRead_thenItIsRefused() throws IOException {
        byte[] written = replaceString(encode(Colour.RED), Colour.class.getName(), Canary.class.getName());

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class, () -> decode(written));

        assertTrue(e.getMessage().contains("no longer an enum"), e.getMessage());
        assertEquals(0, CANARY_TOUCHED.get());
    }

    @Test
    void givenACustomTypeWithoutARegisteredCodec_whenRead_thenStateTypeChangedSaysToRegisterIt()
            throws IOException {
        String other = ValueCodecTest.class.getName() + "$Pounds";
        byte[] written = replaceString(encode(new Money(5, "GBP")), Money.class.getName(), other);

        StateTypeChangedException e = assertThrows(StateTypeChangedException.class, () -> decode(written));

        assertTrue(e.getMessage().contains(other), e.getMessage());
        assertTrue(e.getMessage().contains("ValueCodec.register"), e.getMessage());
    }

    // ---- corrupt input ----

    static Stream<Arguments> corrupt() {
        return Stream.of(
                Arguments.of("unknown tag", new byte[] {99}, CorruptSnapshotException.class),
                Arguments.of("negative tag", new byte[] {-1}, CorruptSnapshotException.class),
                Arguments.of("negative list length", new byte[] {8, -1, -1, -1, -1}, CorruptSnapshotException.class),
                Arguments.of("implausible string length", new byte[] {5, 0x7f, 0, 0, 0},
                        CorruptSnapshotException.class),
                Arguments.of("empty", new byte[0], java.io.EOFException.class),
                Arguments.of("truncated long", new byte[] {1, 0, 0, 0}, java.io.EOFException.class),
                Arguments.of("truncated string", new byte[] {5, 0, 0, 0, 9, 'a', 'b'}, java.io.EOFException.class),
                Arguments.of("huge long[] without data", new byte[] {6, 0x0f, -1, -1, -1}, java.io.EOFException.class),
                Arguments.of("huge Object[] without data", new byte[] {7, 0x0f, -1, -1, -1},
                        java.io.EOFException.class),
                Arguments.of("huge list without data", new byte[] {8, 0x0f, -1, -1, -1}, java.io.EOFException.class),
                Arguments.of("huge byte[] without data", new byte[] {13, 0x0f, -1, -1, -1},
                        java.io.EOFException.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrupt")
    void givenCorruptBytes_whenRead_thenACorruptSnapshotOrEndOfInputIsReported(
            String what, byte[] bytes, Class<? extends Exception> expected) {
        assertThrows(expected, () -> ValueCodec.read(new DataInputStream(new ByteArrayInputStream(bytes))));
    }

    /** What a read of garbage may yield: only the built-in value types, never an instance of another class. */
    private static boolean isBuiltIn(Object v) {
        return v == null || v instanceof Number || v instanceof String || v instanceof Boolean
                || v instanceof Character || v instanceof long[] || v instanceof byte[] || v instanceof Object[]
                || v instanceof List || v instanceof Set || v instanceof Map;
    }

    @Test
    void givenRandomGarbage_whenRead_thenOnlyCorruptionEndOfInputOrABuiltInValueResults() {
        Random random = new Random(20240607);
        for (int i = 0; i < 5_000; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            // Give structured tags a fair share: make the first byte a valid tag half the time.
            if (random.nextBoolean()) {
                garbage[0] = (byte) random.nextInt(19);
            }
            try {
                Object v = ValueCodec.read(new DataInputStream(new ByteArrayInputStream(garbage)));
                assertTrue(isBuiltIn(v), () -> "garbage " + Arrays.toString(garbage) + " gave a " + v.getClass());
            } catch (CorruptSnapshotException | IOException expected) {
                // detected
            } catch (RuntimeException | Error e) {
                fail("garbage " + Arrays.toString(garbage) + " gave " + e, e);
            }
        }
    }
}
