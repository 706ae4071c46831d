package io.tidemill.checkpoint.codec;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Copies state values for the synchronous part of a snapshot, so the task can go on mutating its
 * state while the copy is serialized elsewhere. Immutable values (strings, boxed primitives, enums,
 * records) are shared, not copied: a record in state must be treated as the value it is, never
 * mutated in place. Arrays and collections are copied element by element; anything else goes
 * through {@link ValueCodec} (encode and decode), which is slower but always correct.
 */
public final class StateCopier {
    private StateCopier() {}

    @SuppressWarnings("unchecked")
    public static Object copy(Object v) {
        if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean
                || v instanceof Character || v instanceof Enum<?> || v instanceof Record) {
            return v;
        }
        if (v instanceof long[] a) {
            return a.clone();
        }
        if (v instanceof byte[] a) {
            return a.clone();
        }
        if (v instanceof Object[] a) {
            Object[] c = new Object[a.length];
            for (int i = 0; i < a.length; i++) {
                c[i] = copy(a[i]);
            }
            return c;
        }
        if (v instanceof List<?> l) {
            List<Object> c = new ArrayList<>(l.size());
            for (Object x : l) {
                c.add(copy(x));
            }
            return c;
        }
        if (v instanceof Set<?> s) {
            Set<Object> c = new HashSet<>();
            for (Object x : s) {
                c.add(copy(x));
            }
            return c;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> c = new HashMap<>();
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
}
