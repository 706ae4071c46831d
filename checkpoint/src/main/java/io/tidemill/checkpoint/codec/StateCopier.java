package io.tidemill.checkpoint.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Copies state values: for a copy-on-write snapshot, the task's private copy of a value that a
 * snapshot still reads, which then replaces the value in live state. So a copy keeps the value's
 * type: immutable values (strings, boxed primitives, enums, records) are shared, not copied (a
 * record in state must be treated as the value it is, never mutated in place); arrays keep their
 * component type; the JDK's common collections ({@code ArrayList}, {@code LinkedList},
 * {@code ArrayDeque}, {@code HashMap}, {@code LinkedHashMap}, {@code TreeMap}, {@code HashSet},
 * {@code LinkedHashSet}, {@code TreeSet}) keep their class and comparator, other lists, sets and maps
 * become the plain ones; elements are copied the same way. Anything else goes through
 * {@link ValueCodec} (encode and decode), which is slower and needs a codec for the type.
 */
public final class StateCopier {
    private StateCopier() {}

    @SuppressWarnings("unchecked")
    public static Object copy(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean
                || v instanceof Character || v instanceof Enum<?> || v instanceof Record) {
            return v;
        }
        if (v instanceof Object[] a) {
            Object[] c = a.clone(); // keeps the component type
            for (int i = 0; i < c.length; i++) {
                c[i] = copy(c[i]);
            }
            return c;
        }
        if (v.getClass().isArray()) {
            return primitiveArrayClone(v);
        }
        if (v instanceof Collection<?> col) {
            Collection<Object> c = emptyLike(col);
            for (Object x : col) {
                c.add(copy(x));
            }
            return c;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> c = v instanceof TreeMap<?, ?> t ? new TreeMap<>((Comparator<Object>) t.comparator())
                    : v instanceof LinkedHashMap<?, ?> ? new LinkedHashMap<>(m.size() * 2)
                    : new HashMap<>(m.size() * 2);
            for (Map.Entry<?, ?> e : m.entrySet()) {
                c.put(e.getKey(), copy(e.getValue()));
            }
            return c;
        }
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            ValueCodec.write(v, new DataOutputStream(b));
            return ValueCodec.read(new DataInputStream(new ByteArrayInputStream(b.toByteArray())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Object primitiveArrayClone(Object a) {
        if (a instanceof long[] x) {
            return x.clone(); // the common accumulator, without reflection
        }
        int n = Array.getLength(a);
        Object copy = Array.newInstance(a.getClass().getComponentType(), n);
        System.arraycopy(a, 0, copy, 0, n);
        return copy;
    }

    @SuppressWarnings("unchecked")
    private static Collection<Object> emptyLike(Collection<?> c) {
        if (c instanceof TreeSet<?> t) {
            return new TreeSet<>((Comparator<Object>) t.comparator());
        } else if (c instanceof LinkedHashSet<?>) {
            return new LinkedHashSet<>(c.size() * 2);
        } else if (c instanceof Set<?>) {
            return new HashSet<>(c.size() * 2);
        } else if (c instanceof LinkedList<?>) {
            return new LinkedList<>();
        } else if (c instanceof ArrayDeque<?>) {
            return new ArrayDeque<>(c.size());
        }
        return new ArrayList<>(c.size());
    }
}
