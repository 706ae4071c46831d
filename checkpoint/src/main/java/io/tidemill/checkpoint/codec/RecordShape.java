package io.tidemill.checkpoint.codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * How {@link ValueCodec} writes and reads one record class, built once per class: a typed accessor
 * per component, and a reader that reads the components' values straight into the canonical
 * constructor.
 *
 * <p>Why: the codec sits on the network data plane and in every snapshot, and reflection per record
 * ({@code Method.invoke} per component, {@code Constructor.newInstance} with an {@code Object[]})
 * boxes every primitive and dominates its cost. Here a {@code long} component is read by its
 * accessor handle as a {@code long} and written as the tag its boxed value would have had plus the
 * raw value, so the bytes are exactly those of the boxed encoding (snapshots written before still
 * restore; both ends of a network channel agree). Reading folds one reader per component into the
 * constructor handle, so the values go to the constructor unboxed. Method handles invoked from a
 * non-constant place are customised by the JVM after some calls, after which the whole chain compiles
 * as one piece.
 *
 * <p>A record whose components are all primitives (most rows of a stream) has the same length
 * every time: it is composed in an array and written with one call, not two per component
 * ({@code DataOutputStream} over {@code ByteArrayOutputStream}, as snapshots use, locks per call).
 *
 * <p>A component whose bytes hold another type than the class declares (the class changed since
 * the snapshot) fails with {@link StateTypeChangedException}, except the widenings that reflection
 * allowed before (an {@code int} read into a {@code long} component).
 */
final class RecordShape {
    /** Method handle parameters are limited to 255 slots (long and double take two): beyond, boxed reads. */
    private static final int MAX_SLOTS = 250;

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();

    final Class<?> type;
    final Component[] components;
    /** The class name as {@link ValueCodec#writeString} writes it. */
    final byte[] framedName;
    /**
     * For records of primitives only: the snapshot encoding ({@code RECORD}, names, tags) with room
     * for the values, which {@link #writeNamed} fills in a copy of; else null.
     */
    private final byte[] namedTemplate;
    /** With {@link #namedTemplate}: where each component's tag is in it. */
    private final int[] namedOffsets;
    /** For records of primitives only: the length of the values with their tags; else -1. */
    final int primitiveValuesLength;
    /** The canonical constructor, for records too large for {@link #readValues}. */
    final Constructor<?> constructor;
    /** {@code (DataInput, Shapes)Object}: the components' values in order, then the record; null if too large. */
    private final MethodHandle readValues;
    /** {@code (DataInput, Shapes)Object}: each component's name then value (snapshots); null if too large. */
    private final MethodHandle readNamedValues;
    /**
     * For records of primitives only, {@code (byte[])Object}: the record from the values with their
     * tags, read in one piece (the network); else null.
     */
    private final MethodHandle parseValues;

    private RecordShape(Class<?> type) {
        this.type = type;
        this.framedName = framed(type.getName());
        RecordComponent[] comps = type.getRecordComponents();
        Class<?>[] types = new Class<?>[comps.length];
        components = new Component[comps.length];
        int slots = 2;
        for (int i = 0; i < comps.length; i++) {
            types[i] = comps[i].getType();
            components[i] = component(type.getName(), i, comps[i]);
            slots += types[i] == long.class || types[i] == double.class ? 2 : 1;
        }
        int length = 0;
        for (Component c : components) {
            length = length < 0 || c.size < 0 ? -1 : length + 1 + c.size;
        }
        primitiveValuesLength = length;
        if (length >= 0) {
            ByteBuffer template = ByteBuffer.allocate(1 + framedName.length + 1 + namesLength() + length);
            template.put(ValueCodec.RECORD).put(framedName).put((byte) components.length);
            namedOffsets = new int[components.length];
            for (int i = 0; i < components.length; i++) {
                template.put(components[i].framedName);
                namedOffsets[i] = template.position();
                template.position(template.position() + 1 + components[i].size);
            }
            namedTemplate = template.array();
        } else {
            namedTemplate = null;
            namedOffsets = null;
        }
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record without canonical constructor: " + type.getName(), e);
        }
        if (slots <= MAX_SLOTS) {
            MethodHandle ctor = guarded(unreflect(constructor));
            MethodHandle[] readers = new MethodHandle[components.length];
            MethodHandle[] namedReaders = new MethodHandle[components.length];
            MethodHandle[] parsers = new MethodHandle[components.length];
            int at = 0;
            for (int i = 0; i < components.length; i++) {
                readers[i] = components[i].reader();
                namedReaders[i] = components[i].namedReader();
                if (length >= 0) {
                    parsers[i] = components[i].parser(at);
                    at += 1 + components[i].size;
                }
            }
            readValues = folded(ctor, readers, DataInput.class, ValueCodec.Shapes.class);
            readNamedValues = folded(ctor, namedReaders, DataInput.class, ValueCodec.Shapes.class);
            parseValues = length >= 0 ? folded(ctor, parsers, byte[].class) : null;
        } else {
            readValues = null;
            readNamedValues = null;
            parseValues = null;
        }
    }

    private static final ClassValue<RecordShape> SHAPES = new ClassValue<>() {
        @Override
        protected RecordShape computeValue(Class<?> type) {
            return new RecordShape(type);
        }
    };

    /** The shape of a record class (cached per class, without keeping the class from being unloaded). */
    static RecordShape of(Class<?> recordClass) {
        return SHAPES.get(recordClass);
    }

    /** Whether {@code name} (UTF-8) is this record's class name. */
    boolean isNamed(byte[] name) {
        return Arrays.equals(name, 0, name.length, framedName, 4, framedName.length);
    }

    private int namesLength() {
        int n = 0;
        for (Component c : components) {
            n += c.framedName.length;
        }
        return n;
    }

    /** Writes the components' values (tag and value each), without names. */
    void writeValues(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
        for (Component c : components) {
            c.write(r, out, shapes);
        }
    }

    /**
     * Puts the components' values (tag and value each) into {@code b} from {@code at}: records of
     * primitives only ({@link #primitiveValuesLength} bytes).
     */
    void putValues(Record r, byte[] b, int at) throws IOException {
        for (Component c : components) {
            c.put(r, b, at);
            at += 1 + c.size;
        }
    }

    /** Writes the record in the snapshot encoding: its class, then each component's name and value. */
    void writeNamed(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
        if (namedTemplate != null) {
            byte[] b = namedTemplate.clone();
            for (int i = 0; i < components.length; i++) {
                components[i].put(r, b, namedOffsets[i]);
            }
            out.write(b);
            return;
        }
        out.writeByte(ValueCodec.RECORD);
        out.write(framedName);
        out.writeByte(components.length);
        for (Component c : components) {
            out.write(c.framedName);
            c.write(r, out, shapes);
        }
    }

    /**
     * Reads what {@link #writeValues} wrote and builds the record. Records of primitives only are read
     * in one piece into {@code scratch} (one call instead of two per component): unlike a snapshot,
     * whose values may be widened into a class changed since, both ends of a network stream run the
     * same classes, so a tag other than the component's is an error.
     */
    Object readValues(DataInput in, ValueCodec.Shapes shapes, byte[] scratch) throws IOException {
        if (parseValues != null) {
            in.readFully(scratch, 0, primitiveValuesLength);
            try {
                return (Object) parseValues.invokeExact(scratch);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("unexpected from a record parser", e);
            }
        }
        if (readValues == null) {
            Object[] args = new Object[components.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = ValueCodec.read(in, shapes);
            }
            return construct(args);
        }
        return invoke(readValues, in, shapes);
    }

    /** Reads what {@link #writeNamedValues} wrote, checking each name, and builds the record. */
    Object readNamedValues(DataInput in, ValueCodec.Shapes shapes) throws IOException {
        if (readNamedValues == null) {
            Object[] args = new Object[components.length];
            for (int i = 0; i < args.length; i++) {
                components[i].checkName(in);
                args[i] = ValueCodec.read(in, shapes);
            }
            return construct(args);
        }
        return invoke(readNamedValues, in, shapes);
    }

    private static Object invoke(MethodHandle reader, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        try {
            return (Object) reader.invokeExact(in, shapes);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("unexpected from a record reader", e);
        }
    }

    private Object construct(Object[] args) {
        try {
            return constructor.newInstance(args);
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw rebuildFailed(type.getName(), e);
        }
    }

    /**
     * Folds one reader per component (each taking {@code input}) into the constructor, last first, so
     * that the outermost fold (component 0) reads first: after step i the handle takes components
     * 0..i-1 and the input, and reads component i itself. The result: {@code (input)Object}.
     */
    private static MethodHandle folded(MethodHandle ctor, MethodHandle[] readers, Class<?>... input) {
        MethodHandle h = MethodHandles.dropArguments(ctor, readers.length, input);
        for (int i = readers.length - 1; i >= 0; i--) {
            h = MethodHandles.foldArguments(h, i, readers[i]);
        }
        return h;
    }

    /** The constructor as {@code (T0..Tn)Object}, failing with {@link StateTypeChangedException} as before. */
    private MethodHandle guarded(MethodHandle ctor) {
        MethodHandle target = ctor.asType(ctor.type().changeReturnType(Object.class));
        MethodHandle handler = MethodHandles.dropArguments(
                MethodHandles.insertArguments(REBUILD_FAILED, 0, type.getName()), 1, target.type().parameterList());
        return MethodHandles.catchException(target, Throwable.class, handler);
    }

    private static final MethodHandle REBUILD_FAILED = find("rebuildFailedFromHandle",
            MethodType.methodType(Object.class, String.class, Throwable.class));

    @SuppressWarnings("unused") // through REBUILD_FAILED
    private static Object rebuildFailedFromHandle(String name, Throwable e) {
        throw rebuildFailed(name, e);
    }

    private static StateTypeChangedException rebuildFailed(String name, Throwable e) {
        return new StateTypeChangedException("cannot rebuild " + name + " from the snapshot: " + e);
    }

    static byte[] framed(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).array();
    }

    private static MethodHandle unreflect(java.lang.reflect.Method m) {
        try {
            m.setAccessible(true);
            return LOOKUP.unreflect(m);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot access " + m, e);
        }
    }

    private static MethodHandle unreflect(Constructor<?> c) {
        try {
            return LOOKUP.unreflectConstructor(c);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot access " + c, e);
        }
    }

    private static MethodHandle find(String name, MethodType type) {
        try {
            return LOOKUP.findStatic(RecordShape.class, name, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no " + name + " in RecordShape", e);
        }
    }

    /**
     * One component: its accessor as a typed handle, how its value is written (the tag and encoding
     * {@link ValueCodec#write} would give its boxed value) and a handle {@code (DataInput, Shapes)T}
     * reading it back.
     */
    abstract static class Component {
        final String owner;
        final int index;
        final String name;
        final byte[] framedName;
        final Class<?> type;
        /** {@code (Record)T}, T the component's type for primitives, Object otherwise. */
        final MethodHandle getter;
        /** The length of a primitive's value (without its tag); -1 for references, whose length varies. */
        final int size;

        Component(String owner, int index, RecordComponent rc) {
            this.owner = owner;
            this.index = index;
            this.name = rc.getName();
            this.framedName = framed(name);
            this.type = rc.getType();
            this.getter = unreflect(rc.getAccessor())
                    .asType(MethodType.methodType(type.isPrimitive() ? type : Object.class, Record.class));
            this.size = type == long.class || type == double.class ? 8 : type == int.class || type == float.class
                    ? 4 : type == short.class || type == char.class ? 2 : type.isPrimitive() ? 1 : -1;
        }

        /** Primitives: puts the tag at {@code b[at]} and the value after it, as {@link #write} writes them. */
        void put(Record r, byte[] b, int at) throws IOException {
            throw new IllegalStateException(name + " of " + owner + " is not a primitive");
        }

        abstract void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException;

        /**
         * What the static methods of {@link RecordShape} for this component's type are called after:
         * {@code read<T>(Component, DataInput, Shapes)} and (primitives) {@code parse<T>(Component, int, byte[])}.
         */
        abstract String typeName();

        /** {@code (DataInput, Shapes)T}: reads this component's tag and value. */
        MethodHandle reader() {
            Class<?> t = type.isPrimitive() ? type : Object.class;
            MethodHandle h = find("read" + typeName(),
                    MethodType.methodType(t, Component.class, DataInput.class, ValueCodec.Shapes.class));
            return MethodHandles.insertArguments(h, 0, this)
                    .asType(MethodType.methodType(type, DataInput.class, ValueCodec.Shapes.class));
        }

        /** Primitives, {@code (byte[])T}: this component's tag and value from {@code at} in an array. */
        MethodHandle parser(int at) {
            MethodHandle h = find("parse" + typeName(),
                    MethodType.methodType(type, Component.class, int.class, byte[].class));
            return MethodHandles.insertArguments(h, 0, this, at);
        }

        /** A tag other than this primitive's on a network stream, where both ends run the same classes. */
        StateTypeChangedException unexpected(byte tag) {
            return new StateTypeChangedException("cannot rebuild " + owner + ": component '" + name
                    + "' holds a value with tag " + tag + ", the class declares " + type.getName()
                    + " (do both ends run the same version of the class?)");
        }

        /** As {@link #reader()}, checking the component's name before its value. */
        MethodHandle namedReader() {
            return MethodHandles.foldArguments(reader(), MethodHandles.insertArguments(CHECK_NAME, 0, this));
        }

        /** Reads a component name and checks it is this one's (as bytes: no String per record). */
        void checkName(DataInput in) throws IOException {
            int n = in.readInt();
            if (n == framedName.length - 4) {
                byte[] b = new byte[n];
                in.readFully(b);
                if (Arrays.equals(b, 0, n, framedName, 4, framedName.length)) {
                    return;
                }
                failName(new String(b, StandardCharsets.UTF_8));
            }
            failName(ValueCodec.readString(n, in));
        }

        private void failName(String read) {
            throw new StateTypeChangedException("state type " + owner + " changed: component " + index
                    + " was '" + read + "', is now '" + name + "'");
        }

        /**
         * A value of another type than the component's was read: widened if the component is a
         * primitive that reflection widened it to before ({@code Constructor.newInstance} did), else
         * the class changed since it was written.
         */
        Object mismatched(Object value) {
            if (value != null && type.isPrimitive()) {
                try {
                    return MethodHandles.identity(type).asType(MethodType.methodType(type, Object.class))
                            .asType(MethodType.methodType(Object.class, Object.class)).invoke(value);
                } catch (ClassCastException e) {
                    // not a widening: refused below
                } catch (Throwable e) {
                    throw new IllegalStateException(e);
                }
            }
            throw new StateTypeChangedException("cannot rebuild " + owner + " from the snapshot: component '"
                    + name + "' holds " + (value == null ? "null" : "a " + value.getClass().getName())
                    + ", the class declares " + type.getName());
        }

        IOException unreadable(Throwable e) {
            return new IOException("cannot read component " + name + " of " + owner, e);
        }
    }

    private static Component component(String owner, int index, RecordComponent rc) {
        Class<?> t = rc.getType();
        if (t == long.class) {
            return new LongComponent(owner, index, rc);
        } else if (t == int.class) {
            return new IntComponent(owner, index, rc);
        } else if (t == double.class) {
            return new DoubleComponent(owner, index, rc);
        } else if (t == boolean.class) {
            return new BooleanComponent(owner, index, rc);
        } else if (t == float.class) {
            return new FloatComponent(owner, index, rc);
        } else if (t == short.class) {
            return new ShortComponent(owner, index, rc);
        } else if (t == byte.class) {
            return new ByteComponent(owner, index, rc);
        } else if (t == char.class) {
            return new CharComponent(owner, index, rc);
        }
        return new ReferenceComponent(owner, index, rc);
    }

    private static final MethodHandle CHECK_NAME;
    // Big-endian, as DataOutput writes.
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INTS = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORTS = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    static {
        try {
            CHECK_NAME = LOOKUP.findVirtual(Component.class, "checkName",
                    MethodType.methodType(void.class, DataInput.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // Accessor handles throw what the accessor throws: as Method.invoke did, that becomes an IOException
    // naming the component. What writing the value throws is not wrapped.

    private static final class ReferenceComponent extends Component {
        ReferenceComponent(String owner, int index, RecordComponent rc) {
            super(owner, index, rc);
        }

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            Object v;
            try {
                v = (Object) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
            ValueCodec.write(v, out, shapes);
        }

        @Override
        String typeName() {
            return "Reference";
        }
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static Object readReference(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        Object v = ValueCodec.read(in, shapes);
        if (v != null && !c.type.isInstance(v)) {
            c.mismatched(v);
        }
        return v;
    }

    private static final class LongComponent extends Component {
        LongComponent(String owner, int index, RecordComponent rc) {
            super(owner, index, rc);
        }

        private long get(Record r) throws IOException {
            try {
                return (long) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
        }

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            long v = get(r);
            out.writeByte(ValueCodec.LONG);
            out.writeLong(v);
        }

        @Override
        void put(Record r, byte[] b, int at) throws IOException {
            long v = get(r);
            b[at] = ValueCodec.LONG;
            LONGS.set(b, at + 1, v);
        }

        @Override
        String typeName() {
            return "Long";
        }
    }

    @SuppressWarnings("unused") // through Component.parser()
    private static long parseLong(Component c, int at, byte[] b) {
        if (b[at] != ValueCodec.LONG) {
            throw c.unexpected(b[at]);
        }
        return (long) LONGS.get(b, at + 1);
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static long readLong(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        return tag == ValueCodec.LONG ? in.readLong() : (Long) c.mismatched(ValueCodec.read(tag, in, shapes));
    }

    private static final class IntComponent extends Component {
        IntComponent(String owner, int index, RecordComponent rc) {
            super(owner, index, rc);
        }

        private int get(Record r) throws IOException {
            try {
                return (int) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
        }

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            int v = get(r);
            out.writeByte(ValueCodec.INT);
            out.writeInt(v);
        }

        @Override
        void put(Record r, byte[] b, int at) throws IOException {
            int v = get(r);
            b[at] = ValueCodec.INT;
            INTS.set(b, at + 1, v);
        }

        @Override
        String typeName() {
            return "Int";
        }
    }

    @SuppressWarnings("unused") // through Component.parser()
    private static int parseInt(Component c, int at, byte[] b) {
        if (b[at] != ValueCodec.INT) {
            throw c.unexpected(b[at]);
        }
        return (int) INTS.get(b, at + 1);
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static int readInt(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        return tag == ValueCodec.INT ? in.readInt() : (Integer) c.mismatched(ValueCodec.read(tag, in, shapes));
    }

    private static final class DoubleComponent extends Component {
        DoubleComponent(String owner, int index, RecordComponent rc) {
            super(owner, index, rc);
        }

        private double get(Record r) throws IOException {
            try {
                return (double) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
        }

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            double v = get(r);
            out.writeByte(ValueCodec.DOUBLE);
            out.writeDouble(v);
        }

        @Override
        void put(Record r, byte[] b, int at) throws IOException {
            double v = get(r);
            b[at] = ValueCodec.DOUBLE;
            LONGS.set(b, at + 1, Double.doubleToLongBits(v));
        }

        @Override
        String typeName() {
            return "Double";
        }
    }

    @SuppressWarnings("unused") // through Component.parser()
    private static double parseDouble(Component c, int at, byte[] b) {
        if (b[at] != ValueCodec.DOUBLE) {
            throw c.unexpected(b[at]);
        }
        return Double.longBitsToDouble((long) LONGS.get(b, at + 1));
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static double readDouble(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        return tag == ValueCodec.DOUBLE ? in.readDouble() : (Double) c.mismatched(ValueCodec.read(tag, in, shapes));
    }

    private static final class BooleanComponent extends Component {
        BooleanComponent(String owner, int index, RecordComponent rc) {
            super(owner, index, rc);
        }

        private boolean get(Record r) throws IOException {
            try {
                return (boolean) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
        }

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            boolean v = get(r);
            out.writeByte(ValueCodec.BOOLEAN);
            out.writeBoolean(v);
        }

        @Override
        void put(Record r, byte[] b, int at) throws IOException {
            boolean v = get(r);
            b[at] = ValueCodec.BOOLEAN;
            b[at + 1] = (byte) (v ? 1 : 0);
        }

        @Override
        String typeName() {
            return "Boolean";
        }
    }

    @SuppressWarnings("unused") // through Component.parser()
    private static boolean parseBoolean(Component c, int at, byte[] b) {
        if (b[at] != ValueCodec.BOOLEAN) {
            throw c.unexpected(b[at]);
        }
        return b[at + 1] != 0;
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static boolean readBoolean(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        return tag == ValueCodec.BOOLEAN ? in.readBoolean()
                : (Boolean) c.mismatched(ValueCodec.read(tag, in, shapes));
    }

    private static final class FloatComponent extends Component {
        FloatComponent(String owner, int index, RecordComponent rc) {
            super(owner, index, rc);
        }

        private float get(Record r) throws IOException {
            try {
                return (float) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
        }

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            float v = get(r);
            out.writeByte(ValueCodec.FLOAT);
            out.writeFloat(v);
        }

        @Override
        void put(Record r, byte[] b, int at) throws IOException {
            float v = get(r);
            b[at] = ValueCodec.FLOAT;
            INTS.set(b, at + 1, Float.floatToIntBits(v));
        }

        @Override
        String typeName() {
            return "Float";
        }
    }

    @SuppressWarnings("unused") // through Component.parser()
    private static float parseFloat(Component c, int at, byte[] b) {
        if (b[at] != ValueCodec.FLOAT) {
            throw c.unexpected(b[at]);
        }
        return Float.intBitsToFloat((int) INTS.get(b, at + 1));
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static float readFloat(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        return tag == ValueCodec.FLOAT ? in.readFloat() : (Float) c.mismatched(ValueCodec.read(tag, in, shapes));
    }

    private static final class ShortComponent extends Component {
        ShortComponent(String owner, int index, RecordComponent rc) {
            super(owner, index, rc);
        }

        private short get(Record r) throws IOException {
            try {
                return (short) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
        }

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            short v = get(r);
            out.writeByte(ValueCodec.SHORT);
            out.writeShort(v);
        }

        @Override
        void put(Record r, byte[] b, int at) throws IOException {
            short v = get(r);
            b[at] = ValueCodec.SHORT;
            SHORTS.set(b, at + 1, v);
        }

        @Override
        String typeName() {
            return "Short";
        }
    }

    @SuppressWarnings("unused") // through Component.parser()
    private static short parseShort(Component c, int at, byte[] b) {
        if (b[at] != ValueCodec.SHORT) {
            throw c.unexpected(b[at]);
        }
        return (short) SHORTS.get(b, at + 1);
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static short readShort(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        return tag == ValueCodec.SHORT ? in.readShort() : (Short) c.mismatched(ValueCodec.read(tag, in, shapes));
    }

    private static final class ByteComponent extends Component {
        ByteComponent(String owner, int index, RecordComponent rc) {
            super(owner, index, rc);
        }

        private byte get(Record r) throws IOException {
            try {
                return (byte) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
        }

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            byte v = get(r);
            out.writeByte(ValueCodec.BYTE);
            out.writeByte(v);
        }

        @Override
        void put(Record r, byte[] b, int at) throws IOException {
            byte v = get(r);
            b[at] = ValueCodec.BYTE;
            b[at + 1] = v;
        }

        @Override
        String typeName() {
            return "Byte";
        }
    }

    @SuppressWarnings("unused") // through Component.parser()
    private static byte parseByte(Component c, int at, byte[] b) {
        if (b[at] != ValueCodec.BYTE) {
            throw c.unexpected(b[at]);
        }
        return b[at + 1];
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static byte readByte(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        return tag == ValueCodec.BYTE ? in.readByte() : (Byte) c.mismatched(ValueCodec.read(tag, in, shapes));
    }

    private static final class CharComponent extends Component {
        CharComponent(String owner, int index, RecordComponent rc) {
            super(owner, index, rc);
        }

        private char get(Record r) throws IOException {
            try {
                return (char) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
        }

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            char v = get(r);
            out.writeByte(ValueCodec.CHAR);
            out.writeChar(v);
        }

        @Override
        void put(Record r, byte[] b, int at) throws IOException {
            char v = get(r);
            b[at] = ValueCodec.CHAR;
            SHORTS.set(b, at + 1, (short) v);
        }

        @Override
        String typeName() {
            return "Char";
        }
    }

    @SuppressWarnings("unused") // through Component.parser()
    private static char parseChar(Component c, int at, byte[] b) {
        if (b[at] != ValueCodec.CHAR) {
            throw c.unexpected(b[at]);
        }
        return (char) (short) SHORTS.get(b, at + 1);
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static char readChar(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        return tag == ValueCodec.CHAR ? in.readChar() : (Character) c.mismatched(ValueCodec.read(tag, in, shapes));
    }
}
