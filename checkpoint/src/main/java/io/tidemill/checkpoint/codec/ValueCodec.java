package io.tidemill.checkpoint.codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Encodes state values (keys, accumulators, buffered records) without Java serialization.
 *
 * <p>Each value is written with a one-byte tag. Built in: null, boxed primitives, String, {@code long[]},
 * {@code Object[]}, lists, sets, maps, enums, and Java records (component by component, with the
 * component names, so a changed record is detected at restore). Other types need a {@link Codec}
 * registered with {@link #register}; anything else is refused when the snapshot is taken, with a
 * message naming the type.
 *
 * <p>Safety: decoding instantiates only records (through their canonical constructor), enums and
 * registered types; it never calls arbitrary constructors or deserialization hooks, so a tampered
 * snapshot cannot run gadget code the way a Java-serialized one can.
 */
public final class ValueCodec {
    /** A codec for one type that the built-in encoding does not cover. */
    public interface Codec<T> {
        void write(T value, DataOutput out) throws IOException;

        T read(DataInput in) throws IOException;
    }

    static final byte NULL = 0;
    static final byte LONG = 1;
    static final byte INT = 2;
    static final byte DOUBLE = 3;
    static final byte BOOLEAN = 4;
    static final byte STRING = 5;
    static final byte LONG_ARRAY = 6;
    static final byte OBJECT_ARRAY = 7;
    static final byte LIST = 8;
    static final byte MAP = 9;
    static final byte RECORD = 10;
    static final byte ENUM = 11;
    static final byte SET = 12;
    static final byte BYTES = 13;
    static final byte FLOAT = 14;
    static final byte SHORT = 15;
    static final byte BYTE = 16;
    static final byte CHAR = 17;
    static final byte CUSTOM = 18;
    /** Network only ({@link Shapes}): a record whose shape gets an id: id, class, components, values. */
    static final byte RECORD_DEF = 19;
    /** Network only ({@link Shapes}): a record of a shape defined before on the stream: id, values. */
    static final byte RECORD_REF = 20;

    private static final Map<Class<?>, Codec<?>> CUSTOM_BY_CLASS = new ConcurrentHashMap<>();
    private static final Map<String, Codec<?>> CUSTOM_BY_NAME = new ConcurrentHashMap<>();

    private ValueCodec() {}

    /** Registers a codec for a type that is neither a record nor one of the built-in types. */
    public static <T> void register(Class<T> type, Codec<T> codec) {
        CUSTOM_BY_CLASS.put(type, codec);
        CUSTOM_BY_NAME.put(type.getName(), codec);
    }

    /**
     * A dictionary of record shapes for one ordered stream of values (one direction of one network
     * channel), so that a record's class and component names go over it once instead of with every
     * record. The writer gives a record class an id the first time it writes one ({@code RECORD_DEF}:
     * the id, class and component names, validated by the reader as a plain record's are) and writes
     * only the id afterwards ({@code RECORD_REF}); the reader learns the ids in the same order. Both
     * ends must therefore see exactly the same values in the same order: one instance per direction
     * per stream, never shared, and a stream that loses or skips a value cannot continue. Bounded at
     * {@link #MAX} shapes; beyond that, records are written in the plain encoding. Not thread safe.
     * Snapshots never use one: their format does not change.
     */
    public static final class Shapes {
        /** The most shapes one dictionary holds. */
        public static final int MAX = 4096;
        /** Writing side: the id and shape of each record class defined so far. */
        private final Map<Class<?>, Defined> ids = new IdentityHashMap<>();
        /** Writing side: the class last looked up in {@link #ids} and its entry (records come in runs). */
        private Class<?> lastClass;
        private Defined last;
        private byte[] scratch = new byte[64];
        /** Reading side: the shape of each id, in the order defined. */
        private final List<RecordShape> shapes = new ArrayList<>();

        /** Writing side: the classes of {@link #ids}, by id. */
        private final List<Class<?>> defined = new ArrayList<>();

        /** The shapes defined (written or read) so far. */
        public int size() {
            return Math.max(ids.size(), shapes.size());
        }

        /** Writing side: a point to {@link #rollback} to if what is written after it is not sent. */
        public int mark() {
            return defined.size();
        }

        /**
         * Writing side: forgets the definitions written since {@code mark}, because the bytes holding
         * them were discarded (the reader never sees them, so it must see them again).
         */
        public void rollback(int mark) {
            while (defined.size() > mark) {
                ids.remove(defined.remove(defined.size() - 1));
            }
            lastClass = null;
            last = null;
        }

        /** Writing side: the id and shape of {@code c}, or null if not defined yet. */
        private Defined defined(Class<?> c) {
            if (c != lastClass) {
                Defined d = ids.get(c);
                if (d == null) {
                    return null;
                }
                lastClass = c;
                last = d;
            }
            return last;
        }

        /** An array of at least {@code length} bytes, reused: a record of primitives written or read in one piece. */
        private byte[] scratch(int length) {
            if (scratch.length < length) {
                scratch = new byte[Math.max(length, 2 * scratch.length)];
            }
            return scratch;
        }

        private record Defined(int id, RecordShape shape) {}
    }

    public static void write(Object v, DataOutput out) throws IOException {
        write(v, out, null);
    }

    /**
     * Writes {@code v}, defining and referring to record shapes through {@code shapes} (for the
     * network; null: the snapshot encoding). The reader must use {@link #read(DataInput, Shapes)}
     * with its own dictionary of the same stream.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void write(Object v, DataOutput out, Shapes shapes) throws IOException {
        if (shapes != null && v != null && v.getClass() == shapes.lastClass) {
            // A run of records of one class, as on a network channel: no type tests (only records get
            // a shape, so the class is one that the tests below would take to writeRecord).
            writeRecord((Record) v, out, shapes);
            return;
        }
        if (v == null) {
            out.writeByte(NULL);
        } else if (v instanceof Long l) {
            out.writeByte(LONG);
            out.writeLong(l);
        } else if (v instanceof Integer i) {
            out.writeByte(INT);
            out.writeInt(i);
        } else if (v instanceof String s) {
            out.writeByte(STRING);
            writeString(s, out);
        } else if (v instanceof Double d) {
            out.writeByte(DOUBLE);
            out.writeDouble(d);
        } else if (v instanceof Boolean b) {
            out.writeByte(BOOLEAN);
            out.writeBoolean(b);
        } else if (v instanceof Float f) {
            out.writeByte(FLOAT);
            out.writeFloat(f);
        } else if (v instanceof Short s) {
            out.writeByte(SHORT);
            out.writeShort(s);
        } else if (v instanceof Byte b) {
            out.writeByte(BYTE);
            out.writeByte(b);
        } else if (v instanceof Character c) {
            out.writeByte(CHAR);
            out.writeChar(c);
        } else if (v instanceof long[] a) {
            out.writeByte(LONG_ARRAY);
            out.writeInt(a.length);
            for (long x : a) {
                out.writeLong(x);
            }
        } else if (v instanceof byte[] a) {
            out.writeByte(BYTES);
            out.writeInt(a.length);
            out.write(a);
        } else if (v instanceof Object[] a) {
            out.writeByte(OBJECT_ARRAY);
            out.writeInt(a.length);
            for (Object x : a) {
                write(x, out, shapes);
            }
        } else if (v instanceof List<?> list) {
            out.writeByte(LIST);
            out.writeInt(list.size());
            for (Object x : list) {
                write(x, out, shapes);
            }
        } else if (v instanceof Set<?> set) {
            out.writeByte(SET);
            out.writeInt(set.size());
            for (Object x : set) {
                write(x, out, shapes);
            }
        } else if (v instanceof Map<?, ?> map) {
            out.writeByte(MAP);
            out.writeInt(map.size());
            for (Map.Entry<?, ?> e : map.entrySet()) {
                write(e.getKey(), out, shapes);
                write(e.getValue(), out, shapes);
            }
        } else if (v instanceof Enum<?> e) {
            out.writeByte(ENUM);
            writeString(e.getDeclaringClass().getName(), out);
            writeString(e.name(), out);
        } else if (v instanceof Record r) {
            writeRecord(r, out, shapes);
        } else {
            Codec codec = CUSTOM_BY_CLASS.get(v.getClass());
            if (codec == null) {
                throw new UnsupportedStateTypeException("cannot snapshot state of type " + v.getClass().getName()
                        + ": use a record, a boxed primitive, String, List, Set, Map or long[], or register a codec "
                        + "with ValueCodec.register(" + v.getClass().getSimpleName() + ".class, codec)");
            }
            out.writeByte(CUSTOM);
            writeString(v.getClass().getName(), out);
            codec.write(v, out);
        }
    }

    private static void writeRecord(Record r, DataOutput out, Shapes shapes) throws IOException {
        Class<?> c = r.getClass();
        if (shapes != null) {
            Shapes.Defined d = shapes.defined(c);
            if (d != null) {
                RecordShape shape = d.shape();
                if (shape.primitiveValuesLength >= 0) {
                    // One write for the whole record (see RecordShape).
                    byte[] b = shapes.scratch(3 + shape.primitiveValuesLength);
                    b[0] = RECORD_REF;
                    b[1] = (byte) (d.id() >>> 8);
                    b[2] = (byte) d.id();
                    shape.putValues(r, b, 3);
                    out.write(b, 0, 3 + shape.primitiveValuesLength);
                } else {
                    out.writeByte(RECORD_REF);
                    out.writeShort(d.id());
                    shape.writeValues(r, out, shapes);
                }
                return;
            }
            if (shapes.ids.size() < Shapes.MAX) {
                RecordShape shape = RecordShape.of(c);
                int id = shapes.ids.size();
                shapes.ids.put(c, new Shapes.Defined(id, shape));
                shapes.defined.add(c);
                out.writeByte(RECORD_DEF);
                out.writeShort(id);
                out.write(shape.framedName);
                out.writeByte(shape.components.length);
                for (int i = 0; i < shape.components.length; i++) {
                    out.write(shape.components[i].framedName);
                }
                shape.writeValues(r, out, shapes);
                return;
            }
        }
        RecordShape.of(c).writeNamed(r, out, shapes);
    }

    public static Object read(DataInput in) throws IOException {
        return read(in, null);
    }

    /**
     * Reads a value written by {@link #write(Object, DataOutput, Shapes)}, learning and resolving
     * record shapes through {@code shapes} (null: the snapshot encoding, where a shape definition or
     * reference is malformed). A reference to an id not defined before fails with an IOException.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object read(DataInput in, Shapes shapes) throws IOException {
        return read(in.readByte(), in, shapes);
    }

    /** Reads the rest of a value whose tag was read. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object read(byte tag, DataInput in, Shapes shapes) throws IOException {
        switch (tag) {
            case NULL:
                return null;
            case LONG:
                return in.readLong();
            case INT:
                return in.readInt();
            case STRING:
                return readString(in);
            case DOUBLE:
                return in.readDouble();
            case BOOLEAN:
                return in.readBoolean();
            case FLOAT:
                return in.readFloat();
            case SHORT:
                return in.readShort();
            case BYTE:
                return in.readByte();
            case CHAR:
                return in.readChar();
            case LONG_ARRAY: {
                int n = checkedLength(in);
                long[] a = new long[initialCapacity(n)];
                for (int i = 0; i < n; i++) {
                    if (i == a.length) {
                        a = Arrays.copyOf(a, (int) Math.min(n, 2L * a.length));
                    }
                    a[i] = in.readLong();
                }
                return a;
            }
            case BYTES:
                return readBytes(in, checkedLength(in));
            case OBJECT_ARRAY: {
                int n = checkedLength(in);
                List<Object> a = new ArrayList<>(initialCapacity(n));
                for (int i = 0; i < n; i++) {
                    a.add(read(in, shapes));
                }
                return a.toArray();
            }
            case LIST: {
                int n = checkedLength(in);
                List<Object> list = new ArrayList<>(initialCapacity(n));
                for (int i = 0; i < n; i++) {
                    list.add(read(in, shapes));
                }
                return list;
            }
            case SET: {
                int n = checkedLength(in);
                Set<Object> set = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    set.add(read(in, shapes));
                }
                return set;
            }
            case MAP: {
                int n = checkedLength(in);
                Map<Object, Object> map = new LinkedHashMap<>();
                for (int i = 0; i < n; i++) {
                    Object k = read(in, shapes);
                    map.put(k, read(in, shapes));
                }
                return new HashMap<>(map);
            }
            case ENUM: {
                Class<?> c = load(readString(in));
                if (!c.isEnum()) {
                    throw new StateTypeChangedException(c.getName() + " is no longer an enum");
                }
                return Enum.valueOf((Class) c, readString(in));
            }
            case RECORD:
                return readRecord(in, shapes);
            case RECORD_DEF: {
                if (shapes == null) {
                    throw new CorruptSnapshotException("a record shape definition outside a shape dictionary");
                }
                int id = in.readUnsignedShort();
                if (id != shapes.shapes.size() || id >= Shapes.MAX) {
                    throw new IOException("record shape definition " + id + " out of order: expected "
                            + shapes.shapes.size() + " (at most " + Shapes.MAX + ")");
                }
                RecordShape shape = readShape(in);
                shapes.shapes.add(shape);
                return shape.readValues(in, shapes, shapes.scratch(shape.primitiveValuesLength));
            }
            case RECORD_REF: {
                if (shapes == null) {
                    throw new CorruptSnapshotException("a record shape reference outside a shape dictionary");
                }
                int id = in.readUnsignedShort();
                if (id >= shapes.shapes.size()) {
                    throw new IOException("reference to record shape " + id + ", of which only "
                            + shapes.shapes.size() + " are defined");
                }
                RecordShape shape = shapes.shapes.get(id);
                return shape.readValues(in, shapes, shapes.scratch(shape.primitiveValuesLength));
            }
            case CUSTOM: {
                String name = readString(in);
                Codec codec = CUSTOM_BY_NAME.get(name);
                if (codec == null) {
                    throw new StateTypeChangedException("no codec registered for state type " + name
                            + " found in the snapshot: register it with ValueCodec.register before restoring");
                }
                return codec.read(in);
            }
            default:
                throw new CorruptSnapshotException("unknown value tag " + tag);
        }
    }

    private static Object readRecord(DataInput in, Shapes shapes) throws IOException {
        // The class name compared as bytes with the last record's: no String, no lookup, in a run.
        byte[] name = readBytes(in, checkedLength(in));
        Resolved r = resolved();
        RecordShape shape = r.lastRecord;
        if (shape == null || !shape.isNamed(name)) {
            shape = recordShape(new String(name, java.nio.charset.StandardCharsets.UTF_8));
            r.lastRecord = shape;
        }
        checkComponentCount(in, shape.type.getName(), shape);
        return shape.readNamedValues(in, shapes);
    }

    /** Reads and validates a shape definition's class and component names (as {@link #readRecord} does). */
    private static RecordShape readShape(DataInput in) throws IOException {
        String name = readString(in);
        RecordShape shape = recordShape(name);
        int n = checkComponentCount(in, name, shape);
        for (int i = 0; i < n; i++) {
            shape.components[i].checkName(in);
        }
        return shape;
    }

    private static RecordShape recordShape(String name) {
        Class<?> c = load(name);
        if (!c.isRecord()) {
            throw new StateTypeChangedException("state type " + name + " was a record and no longer is");
        }
        return RecordShape.of(c);
    }

    private static int checkComponentCount(DataInput in, String name, RecordShape shape) throws IOException {
        int n = in.readUnsignedByte();
        if (n != shape.components.length) {
            throw new StateTypeChangedException("state type " + name + " changed: the snapshot has " + n
                    + " components, the class has " + shape.components.length);
        }
        return n;
    }

    /**
     * Classes this thread resolved lately, for the class loader they were resolved in: decoding a
     * stream of records (snapshots, the network) names the same few classes again and again, and
     * {@code Class.forName} per record is slow. Per thread, so no locking; cleared when the thread
     * decodes for another class loader (another job), and bounded, so it keeps no job's classes long.
     */
    private static final class Resolved {
        ClassLoader loader;
        final Map<String, Class<?>> byName = new HashMap<>();
        /** The record shape this thread read last: a snapshot's records come in runs of one class. */
        RecordShape lastRecord;
    }

    private static final ThreadLocal<Resolved> RESOLVED = ThreadLocal.withInitial(Resolved::new);

    /** This thread's resolved classes, for the current context class loader. */
    private static Resolved resolved() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = ValueCodec.class.getClassLoader();
        }
        Resolved r = RESOLVED.get();
        if (r.loader != cl || r.byName.size() > 64) {
            r.loader = cl;
            r.byName.clear();
            r.lastRecord = null;
        }
        return r;
    }

    private static Class<?> load(String name) {
        Resolved r = resolved();
        ClassLoader cl = r.loader;
        Class<?> c = r.byName.get(name);
        if (c != null) {
            return c;
        }
        try {
            c = Class.forName(name, false, cl);
        } catch (ClassNotFoundException e) {
            throw new StateTypeChangedException("state type " + name + " in the snapshot is not on the classpath");
        }
        r.byName.put(name, c);
        return c;
    }

    private static int checkedLength(DataInput in) throws IOException {
        return checkedLength(in.readInt());
    }

    private static int checkedLength(int n) {
        if (n < 0 || n > (1 << 28)) {
            throw new CorruptSnapshotException("implausible length " + n);
        }
        return n;
    }

    public static void writeString(String s, DataOutput out) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    public static String readString(DataInput in) throws IOException {
        return new String(readBytes(in, checkedLength(in)), java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Reads the rest of a string whose length {@code n} was read. */
    static String readString(int n, DataInput in) throws IOException {
        return new String(readBytes(in, checkedLength(n)), java.nio.charset.StandardCharsets.UTF_8);
    }

    /**
     * Lengths come from the snapshot's bytes: a corrupted one must end in an {@link java.io.EOFException}
     * once the data runs out, not in allocating the claimed size up front (up to gigabytes).
     */
    private static int initialCapacity(int n) {
        return Math.min(n, 1 << 12);
    }

    private static byte[] readBytes(DataInput in, int n) throws IOException {
        byte[] b = new byte[Math.min(n, 1 << 16)];
        int filled = 0;
        while (true) {
            in.readFully(b, filled, b.length - filled);
            filled = b.length;
            if (filled == n) {
                return b;
            }
            b = Arrays.copyOf(b, (int) Math.min(n, 2L * b.length));
        }
    }
}
