package io.tidemill.connector.file;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Set;

/**
 * Writes one value as JSON through a Jackson generator, as Jackson databind would.
 *
 * <p>Output rows are mostly plain records, for which databind spends more time per row on set-up
 * and reflective calls than on writing. A plain record is written here instead, field by field in
 * component order, through accessor method handles looked up once per class: longs, ints, shorts
 * and bytes as JSON integers, booleans, strings (null as {@code null}), and any other component
 * through databind. A record is plain when neither it nor its components carry annotations (which
 * could rename or hide fields) and it has no bean getter ({@code getX()}, {@code isX()}) that
 * databind would add as a property. Everything else goes to databind as a whole.
 */
public final class JsonRowWriter {
    private static final ClassValue<RecordFormat> FORMATS = new ClassValue<>() {
        @Override
        protected RecordFormat computeValue(Class<?> type) {
            return RecordFormat.of(type);
        }
    };

    private final ObjectWriter databind;

    public JsonRowWriter(ObjectMapper mapper) {
        this.databind = mapper.writer();
    }

    public void write(Object value, JsonGenerator gen) throws IOException {
        RecordFormat format = value == null ? null : FORMATS.get(value.getClass());
        if (format == null) {
            databind.writeValue(gen, value);
        } else {
            format.write(value, gen);
        }
    }

    /** How to write one plain record class; null from {@link #of} when the class is not one. */
    private static final class RecordFormat {
        private static final byte INTEGER = 0;
        private static final byte BOOLEAN = 1;
        private static final byte STRING = 2;
        private static final byte OTHER = 3;
        private static final Set<Class<?>> INTEGERS = Set.of(long.class, int.class, short.class, byte.class);
        private static final MethodType AS_LONG = MethodType.methodType(long.class, Object.class);
        private static final MethodType AS_BOOLEAN = MethodType.methodType(boolean.class, Object.class);
        private static final MethodType AS_OBJECT = MethodType.methodType(Object.class, Object.class);

        private final SerializedString[] names;
        private final MethodHandle[] getters;
        private final byte[] kinds;

        private RecordFormat(SerializedString[] names, MethodHandle[] getters, byte[] kinds) {
            this.names = names;
            this.getters = getters;
            this.kinds = kinds;
        }

        static RecordFormat of(Class<?> type) {
            if (!type.isRecord() || annotated(type) || hasBeanGetter(type)) {
                return null;
            }
            RecordComponent[] components = type.getRecordComponents();
            SerializedString[] names = new SerializedString[components.length];
            MethodHandle[] getters = new MethodHandle[components.length];
            byte[] kinds = new byte[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    RecordComponent c = components[i];
                    Method accessor = c.getAccessor();
                    if (annotated(c) || annotated(accessor)) {
                        return null;
                    }
                    accessor.setAccessible(true);
                    MethodHandle getter = MethodHandles.lookup().unreflect(accessor);
                    Class<?> t = c.getType();
                    kinds[i] = INTEGERS.contains(t) ? INTEGER : t == boolean.class ? BOOLEAN
                            : t == String.class ? STRING : OTHER;
                    getters[i] = getter.asType(kinds[i] == INTEGER ? AS_LONG : kinds[i] == BOOLEAN ? AS_BOOLEAN
                            : AS_OBJECT);
                    names[i] = new SerializedString(c.getName());
                }
            } catch (IllegalAccessException | RuntimeException e) {
                return null; // not accessible from here (a module that does not open it): databind decides
            }
            return new RecordFormat(names, getters, kinds);
        }

        private static boolean annotated(AnnotatedElement e) {
            return e.getDeclaredAnnotations().length > 0;
        }

        private static boolean hasBeanGetter(Class<?> type) {
            for (Method m : type.getMethods()) {
                String n = m.getName();
                boolean getter = (n.startsWith("get") && n.length() > 3 && m.getReturnType() != void.class)
                        || (n.startsWith("is") && n.length() > 2 && m.getReturnType() == boolean.class);
                if (getter && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
                        && m.getDeclaringClass() != Object.class) {
                    return true;
                }
            }
            return false;
        }

        void write(Object value, JsonGenerator gen) throws IOException {
            gen.writeStartObject();
            try {
                for (int i = 0; i < getters.length; i++) {
                    gen.writeFieldName(names[i]);
                    switch (kinds[i]) {
                        case INTEGER -> gen.writeNumber((long) getters[i].invokeExact(value));
                        case BOOLEAN -> gen.writeBoolean((boolean) getters[i].invokeExact(value));
                        case STRING -> gen.writeString((String) (Object) getters[i].invokeExact(value));
                        default -> gen.writeObject((Object) getters[i].invokeExact(value));
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new IllegalStateException(t); // accessors of records throw nothing checked
            }
            gen.writeEndObject();
        }
    }
}
