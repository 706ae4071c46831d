package io.tidemill.state;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The hash of a key that every JVM computes alike, so that a key lands in the same key group after a
 * restart and on every node of a cluster.
 *
 * <p>{@code Object.hashCode()} is not such a hash in general: an enum's (and so a record's or a
 * list's holding an enum) and any class's without its own {@code hashCode} are identity hashes,
 * different in every run. This hash uses what the Java specification fixes ({@code String},
 * boxed primitives), an enum's name, and for records, lists, sets and map entries their elements'
 * stable hashes, combined as {@code List.hashCode} does. A class with its own {@code hashCode} is
 * trusted to compute it from its fields. Arrays and classes with identity hash codes are refused
 * with an {@link UnstableKeyException} naming the type.
 */
public final class KeyHash {
    private KeyHash() {}

    /** How to hash the instances of one class, found once per class. */
    private interface Hasher {
        int hash(Object key);
    }

    private static final ClassValue<Hasher> HASHERS = new ClassValue<>() {
        @Override
        protected Hasher computeValue(Class<?> type) {
            return hasherOf(type);
        }
    };

    /** The stable hash of {@code key} (not null). */
    public static int of(Object key) {
        // the common key types first: no class lookup
        if (key instanceof Long l) {
            return Long.hashCode(l);
        }
        if (key instanceof String s) {
            return s.hashCode();
        }
        if (key instanceof Integer i) {
            return i;
        }
        return HASHERS.get(key.getClass()).hash(key);
    }

    /**
     * Refuses a key type whose instances cannot be hashed alike in every JVM (for types known when
     * the pipeline is built); records are checked component by component.
     */
    public static void check(Class<?> type) {
        if (type.isPrimitive() || type == Object.class || type.isInterface()
                || Modifier.isAbstract(type.getModifiers()) && !type.isEnum()) {
            return; // decided per instance: boxed primitives are fine, subtypes are checked when hashed
        }
        HASHERS.get(type);
        if (type.isRecord()) {
            for (RecordComponent c : type.getRecordComponents()) {
                check(c.getType());
            }
        }
    }

    private static Hasher hasherOf(Class<?> type) {
        if (type.isArray()) {
            throw new UnstableKeyException(type, "an array has an identity hash code; use a List or a record");
        }
        if (Enum.class.isAssignableFrom(type)) {
            return key -> ((Enum<?>) key).name().hashCode();
        }
        if (type.isRecord()) {
            return recordHasher(type);
        }
        if (List.class.isAssignableFrom(type)) {
            return key -> {
                int h = 1;
                for (Object e : (List<?>) key) {
                    h = 31 * h + (e == null ? 0 : of(e));
                }
                return h;
            };
        }
        if (Set.class.isAssignableFrom(type)) {
            return key -> {
                int h = 0;
                for (Object e : (Set<?>) key) {
                    h += e == null ? 0 : of(e);
                }
                return h;
            };
        }
        if (Map.Entry.class.isAssignableFrom(type)) {
            return key -> {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) key;
                return (e.getKey() == null ? 0 : of(e.getKey())) ^ (e.getValue() == null ? 0 : of(e.getValue()));
            };
        }
        if (!declaresHashCode(type)) {
            throw new UnstableKeyException(type, "it does not override hashCode(), so its hash is an identity hash; "
                    + "use a record, a String, a boxed primitive, an enum, or give it equals() and hashCode()");
        }
        return Object::hashCode;
    }

    private static boolean declaresHashCode(Class<?> type) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Method m = c.getDeclaredMethod("hashCode");
                if (!Modifier.isAbstract(m.getModifiers())) {
                    return true;
                }
            } catch (NoSuchMethodException e) {
                // look further up
            }
        }
        return false;
    }

    private static Hasher recordHasher(Class<?> type) {
        RecordComponent[] components = type.getRecordComponents();
        MethodHandle[] accessors = new MethodHandle[components.length];
        for (int i = 0; i < components.length; i++) {
            Class<?> t = components[i].getType();
            if (t.isArray()) {
                throw new UnstableKeyException(type, "its component '" + components[i].getName()
                        + "' is an array, which has an identity hash code; use a List");
            }
            try {
                Method m = components[i].getAccessor();
                m.setAccessible(true);
                accessors[i] = MethodHandles.lookup().unreflect(m).asType(
                        java.lang.invoke.MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new UnstableKeyException(type, "its components cannot be read (" + e.getMessage()
                        + "); make the record public or give it a hashCode()");
            }
        }
        return key -> {
            int h = 0;
            for (MethodHandle a : accessors) {
                Object v;
                try {
                    v = a.invoke(key);
                } catch (Throwable e) {
                    throw new IllegalStateException("reading a component of key " + type.getName() + " failed", e);
                }
                h = 31 * h + (v == null ? 0 : of(v));
            }
            return h;
        };
    }
}
