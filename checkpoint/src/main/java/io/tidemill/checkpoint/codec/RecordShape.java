package io.tidemill.checkpoint.codec;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

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
    /** The canonical constructor, for records too large for {@link #readValues}. */
    final Constructor<?> constructor;
    /** {@code (DataInput, Shapes)Object}: the components' values in order, then the record; null if too large. */
    private final MethodHandle readValues;
    /** {@code (DataInput, Shapes)Object}: each component's name then value (snapshots); null if too large. */
    private final MethodHandle readNamedValues;

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
        try {
            constructor = type.getDeclaredConstructor(types);
            constructor.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("record without canonical constructor: " + type.getName(), e);
        }
        if (slots <= MAX_SLOTS) {
            MethodHandle ctor = guarded(unreflect(constructor));
            readValues = valuesReader(ctor, false);
            readNamedValues = valuesReader(ctor, true);
        } else {
            readValues = null;
            readNamedValues = null;
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

    /** Writes the components' values (tag and value each), without names. */
    void writeValues(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
        for (Component c : components) {
            c.write(r, out, shapes);
        }
    }

    /** Writes each component's name, then its value (the snapshot encoding). */
    void writeNamedValues(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
        for (Component c : components) {
            out.write(c.framedName);
            c.write(r, out, shapes);
        }
    }

    /** Reads what {@link #writeValues} wrote and builds the record. */
    Object readValues(DataInput in, ValueCodec.Shapes shapes) throws IOException {
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
     * {@code (DataInput, Shapes)Object}: folds one reader per component into the constructor, last
     * first, so that the outermost fold (component 0) reads first: after step i the handle takes
     * components 0..i-1 and the input, and reads component i itself.
     */
    private MethodHandle valuesReader(MethodHandle ctor, boolean named) {
        int n = components.length;
        MethodHandle h = MethodHandles.dropArguments(ctor, n, DataInput.class, ValueCodec.Shapes.class);
        for (int i = n - 1; i >= 0; i--) {
            h = MethodHandles.foldArguments(h, i, named ? components[i].namedReader() : components[i].reader());
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

        Component(String owner, int index, RecordComponent rc) {
            this.owner = owner;
            this.index = index;
            this.name = rc.getName();
            this.framedName = framed(name);
            this.type = rc.getType();
            this.getter = unreflect(rc.getAccessor())
                    .asType(MethodType.methodType(type.isPrimitive() ? type : Object.class, Record.class));
        }

        abstract void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException;

        /** The static {@code (Component, DataInput, Shapes)T} method of {@link RecordShape} reading this component. */
        abstract String readerName();

        MethodHandle reader() {
            Class<?> t = type.isPrimitive() ? type : Object.class;
            MethodHandle h = find(readerName(),
                    MethodType.methodType(t, Component.class, DataInput.class, ValueCodec.Shapes.class));
            return MethodHandles.insertArguments(h, 0, this)
                    .asType(MethodType.methodType(type, DataInput.class, ValueCodec.Shapes.class));
        }

        /** As {@link #reader()}, checking the component's name before its value. */
        MethodHandle namedReader() {
            return MethodHandles.foldArguments(reader(), MethodHandles.insertArguments(CHECK_NAME, 0, this));
        }

        void checkName(DataInput in) throws IOException {
            String read = ValueCodec.readString(in);
            if (!read.equals(name)) {
                throw new StateTypeChangedException("state type " + owner + " changed: component " + index
                        + " was '" + read + "', is now '" + name + "'");
            }
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
        String readerName() {
            return "readReference";
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

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            long v;
            try {
                v = (long) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
            out.writeByte(ValueCodec.LONG);
            out.writeLong(v);
        }

        @Override
        String readerName() {
            return "readLong";
        }
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

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            int v;
            try {
                v = (int) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
            out.writeByte(ValueCodec.INT);
            out.writeInt(v);
        }

        @Override
        String readerName() {
            return "readInt";
        }
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

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            double v;
            try {
                v = (double) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
            out.writeByte(ValueCodec.DOUBLE);
            out.writeDouble(v);
        }

        @Override
        String readerName() {
            return "readDouble";
        }
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

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            boolean v;
            try {
                v = (boolean) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
            out.writeByte(ValueCodec.BOOLEAN);
            out.writeBoolean(v);
        }

        @Override
        String readerName() {
            return "readBoolean";
        }
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

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            float v;
            try {
                v = (float) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
            out.writeByte(ValueCodec.FLOAT);
            out.writeFloat(v);
        }

        @Override
        String readerName() {
            return "readFloat";
        }
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

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            short v;
            try {
                v = (short) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
            out.writeByte(ValueCodec.SHORT);
            out.writeShort(v);
        }

        @Override
        String readerName() {
            return "readShort";
        }
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

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            byte v;
            try {
                v = (byte) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
            out.writeByte(ValueCodec.BYTE);
            out.writeByte(v);
        }

        @Override
        String readerName() {
            return "readByte";
        }
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

        @Override
        void write(Record r, DataOutput out, ValueCodec.Shapes shapes) throws IOException {
            char v;
            try {
                v = (char) getter.invokeExact(r);
            } catch (Throwable e) {
                throw unreadable(e);
            }
            out.writeByte(ValueCodec.CHAR);
            out.writeChar(v);
        }

        @Override
        String readerName() {
            return "readChar";
        }
    }

    @SuppressWarnings("unused") // through Component.reader()
    private static char readChar(Component c, DataInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        return tag == ValueCodec.CHAR ? in.readChar() : (Character) c.mismatched(ValueCodec.read(tag, in, shapes));
    }
}
