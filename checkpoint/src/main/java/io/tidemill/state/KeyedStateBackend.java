package io.tidemill.state;

import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;
import io.tidemill.checkpoint.codec.StateCopier;
import io.tidemill.checkpoint.codec.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;

/**
 * Heap keyed state of one operator subtask, organised by key group.
 *
 * <p>Each named state is a table with one hash map per owned key group, so a snapshot (and a restore
 * at another parallelism) can read and write whole key groups. State handles are views: they act on
 * the key set by {@link #setCurrentKey} before each record or timer.
 *
 * <p>A backend belongs to one subtask, and so do the user function and the handles it gets from
 * {@code open}: every subtask runs its own function instance, so a handle always acts on the
 * backend that created it.
 */
public final class KeyedStateBackend {
    private final KeyGroupRange range;
    private final int maxParallelism;
    private final Map<String, StateTable> tables = new HashMap<>();
    private final Map<String, Object> handles = new HashMap<>();
    private Object currentKey;
    private int currentGroupIndex;

    public KeyedStateBackend(KeyGroupRange range, int maxParallelism) {
        this.range = range;
        this.maxParallelism = maxParallelism;
    }

    public KeyGroupRange keyGroupRange() {
        return range;
    }

    public int maxParallelism() {
        return maxParallelism;
    }

    /** Sets the key that state handles act on; {@code keyGroup} must be in this backend's range. */
    public void setCurrentKey(Object key, int keyGroup) {
        this.currentKey = key;
        this.currentGroupIndex = keyGroup - range.start();
    }

    /** Sets the key, computing its key group. */
    public void setCurrentKey(Object key) {
        setCurrentKey(key, KeyGroups.keyGroupOf(key, maxParallelism));
    }

    public Object currentKey() {
        return currentKey;
    }

    /** Returns the handle for a descriptor, creating the state on first use. */
    @SuppressWarnings("unchecked")
    public <S> S state(StateDescriptor<S> descriptor) {
        Object existing = handles.get(descriptor.name());
        if (existing != null) {
            StateTable table = tables.get(descriptor.name());
            if (table.kind != descriptor.kind()) {
                throw new IllegalStateException("state '" + descriptor.name() + "' was registered as "
                        + table.kind + " and is now requested as " + descriptor.kind());
            }
            return (S) existing;
        }
        StateTable table = tableOf(descriptor.name(), descriptor.kind());
        Object handle = switch (descriptor.kind()) {
            case VALUE -> new Value<>(table);
            case LIST -> new ListOf<>(table);
            case MAP -> new MapOf<>(table);
            case REDUCING -> new Reducing<>(table, (BinaryOperator<Object>) descriptor.reducer());
        };
        handles.put(descriptor.name(), handle);
        return (S) handle;
    }

    private StateTable tableOf(String name, StateDescriptor.Kind kind) {
        StateTable table = tables.get(name);
        if (table != null && table.kind != kind) {
            throw new IllegalStateException("state '" + name + "' holds " + table.kind + " state (restored or "
                    + "registered before) and is now requested as " + kind);
        }
        if (table == null) {
            table = new StateTable(name, kind, range.size());
            tables.put(name, table);
        }
        return table;
    }

    /**
     * Writes every state table, key group by key group: per group the number of tables that have
     * entries there, then each as {@code name, kind, count, (key, value)*} through {@link ValueCodec}.
     *
     * <p>The synchronous part captures each group's map copy-on-write (a copy of its bucket array);
     * the deferred part, off the task thread, encodes the captured entries and releases them.
     */
    public void snapshot(SnapshotWriter writer) throws IOException {
        List<Captured> captured = new ArrayList<>(tables.size());
        for (StateTable t : tables.values()) {
            List<CowHashMap.Snapshot<Object, Object>> groups = new ArrayList<>(range.size());
            for (CowHashMap<Object, Object> g : t.groups) {
                groups.add(g.snapshot());
            }
            captured.add(new Captured(t.name, t.kind, groups));
        }
        writer.defer(SnapshotWriter.Deferred.releasing(w -> write(captured, w), () -> {
            for (Captured c : captured) {
                c.groups.forEach(CowHashMap.Snapshot::release);
            }
        }));
    }

    /** One state table as a snapshot captured it. */
    private record Captured(String name, StateDescriptor.Kind kind, List<CowHashMap.Snapshot<Object, Object>> groups) {}

    private void write(List<Captured> tables, SnapshotWriter writer) throws IOException {
        for (int g = 0; g < range.size(); g++) {
            int nonEmpty = 0;
            for (Captured t : tables) {
                nonEmpty += t.groups.get(g).size() == 0 ? 0 : 1;
            }
            // Every group gets a section (possibly a zero count) so that operators can append more
            // per-group state (timers) after it and read it back in the same order.
            DataOutput out = writer.keyGroup(range.start() + g);
            out.writeInt(nonEmpty);
            for (Captured t : tables) {
                CowHashMap.Snapshot<Object, Object> m = t.groups.get(g);
                if (m.size() == 0) {
                    continue;
                }
                ValueCodec.writeString(t.name, out);
                out.writeByte(t.kind.ordinal());
                out.writeInt(m.size());
                m.forEach((key, value) -> {
                    ValueCodec.write(key, out);
                    ValueCodec.write(value, out);
                });
            }
        }
    }

    /** Reads the key groups this backend owns from a snapshot taken at any parallelism. */
    @SuppressWarnings("unchecked")
    public void restore(RestoredState restored) throws IOException {
        for (int kg = range.start(); kg <= range.end(); kg++) {
            DataInput in = restored.keyGroup(kg);
            if (in == null) {
                continue;
            }
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                String name = ValueCodec.readString(in);
                StateDescriptor.Kind kind = StateDescriptor.Kind.values()[in.readByte()];
                StateTable registered = tables.get(name);
                if (registered != null && registered.kind != kind) {
                    throw new IllegalStateException("state '" + name + "' is " + kind + " state in the snapshot "
                            + "but the job now registers it as " + registered.kind + ": keep its kind, or give "
                            + "the new state another name");
                }
                CowHashMap<Object, Object> m = tableOf(name, kind).groups[kg - range.start()];
                int entries = in.readInt();
                for (int j = 0; j < entries; j++) {
                    Object key = ValueCodec.read(in);
                    Object value = ValueCodec.read(in);
                    if (kind == StateDescriptor.Kind.LIST && value instanceof List<?> l) {
                        value = new ArrayList<>(l);
                    } else if (kind == StateDescriptor.Kind.MAP && value instanceof Map<?, ?> mm) {
                        value = new HashMap<>((Map<Object, Object>) mm);
                    }
                    m.put(key, value);
                }
            }
        }
    }

    /** Number of keys holding any state, summed over all states (for tests and metrics). */
    public long size() {
        long n = 0;
        for (StateTable t : tables.values()) {
            for (CowHashMap<Object, Object> m : t.groups) {
                n += m.size();
            }
        }
        return n;
    }

    /**
     * One named state: a map per key group. Handles read values that they hand out or mutate with
     * {@link CowHashMap#getForUpdate}, so that a snapshot being written keeps what it captured.
     */
    static final class StateTable {
        final String name;
        final StateDescriptor.Kind kind;
        final CowHashMap<Object, Object>[] groups;

        @SuppressWarnings("unchecked")
        StateTable(String name, StateDescriptor.Kind kind, int groupCount) {
            this.name = name;
            this.kind = kind;
            this.groups = new CowHashMap[groupCount];
            for (int i = 0; i < groupCount; i++) {
                groups[i] = new CowHashMap<>(StateCopier::copy);
            }
        }
    }

    private abstract class Handle {
        final StateTable table;

        Handle(StateTable table) {
            this.table = table;
        }

        /** The current key's group map of this state. */
        final CowHashMap<Object, Object> group() {
            return table.groups[currentGroupIndex];
        }

        public void clear() {
            group().remove(currentKey);
        }
    }

    private final class Value<T> extends Handle implements ValueState<T> {
        Value(StateTable table) {
            super(table);
        }

        @SuppressWarnings("unchecked")
        @Override
        public T value() {
            return (T) group().getForUpdate(currentKey); // the caller may mutate it
        }

        @Override
        public void update(T value) {
            if (value == null) {
                clear();
            } else {
                    group().put(currentKey, value);
            }
        }
    }

    private final class ListOf<T> extends Handle implements ListState<T> {
        ListOf(StateTable table) {
            super(table);
        }

        @SuppressWarnings("unchecked")
        @Override
        public List<T> get() {
            List<T> list = (List<T>) group().getForUpdate(currentKey); // its elements may be mutated
            return list == null ? List.of() : Collections.unmodifiableList(list);
        }

        @SuppressWarnings("unchecked")
        @Override
        public void add(T value) {
            CowHashMap<Object, Object> g = group();
            List<T> list = (List<T>) g.getForUpdate(currentKey);
            if (list == null) {
                list = new ArrayList<>();
                g.put(currentKey, list);
            }
            list.add(value);
        }

        @Override
        public void update(List<T> values) {
            if (values.isEmpty()) {
                clear();
            } else {
                    group().put(currentKey, new ArrayList<>(values));
            }
        }
    }

    private final class MapOf<K, V> extends Handle implements MapState<K, V> {
        MapOf(StateTable table) {
            super(table);
        }

        @SuppressWarnings("unchecked")
        private Map<K, V> map(boolean create) {
            CowHashMap<Object, Object> g = group();
            Map<K, V> m = (Map<K, V>) g.getForUpdate(currentKey); // its values may be mutated
            if (m == null && create) {
                m = new HashMap<>();
                g.put(currentKey, m);
            }
            return m;
        }

        @Override
        public V get(K mapKey) {
            Map<K, V> m = map(false);
            return m == null ? null : m.get(mapKey);
        }

        @Override
        public void put(K mapKey, V value) {
            map(true).put(mapKey, value);
        }

        @Override
        public boolean contains(K mapKey) {
            Map<K, V> m = map(false);
            return m != null && m.containsKey(mapKey);
        }

        @Override
        public void remove(K mapKey) {
            Map<K, V> m = (Map<K, V>) group().getForUpdate(currentKey);
            if (m != null) {
                m.remove(mapKey);
                if (m.isEmpty()) {
                    clear();
                }
            }
        }

        @Override
        public Map<K, V> entries() {
            Map<K, V> m = map(false);
            return m == null ? Map.of() : Collections.unmodifiableMap(m);
        }

        @Override
        public boolean isEmpty() {
            Map<K, V> m = map(false);
            return m == null || m.isEmpty();
        }
    }

    private final class Reducing<T> extends Handle implements ReducingState<T> {
        private final BinaryOperator<T> reducer;

        Reducing(StateTable table, BinaryOperator<T> reducer) {
            super(table);
            this.reducer = reducer;
        }

        @SuppressWarnings("unchecked")
        @Override
        public T get() {
            return (T) group().getForUpdate(currentKey); // the caller may mutate it
        }

        @SuppressWarnings("unchecked")
        @Override
        public void add(T value) {
            CowHashMap<Object, Object> g = group();
            T old = (T) g.getForUpdate(currentKey); // the reducer may fold into it
            g.put(currentKey, old == null ? value : reducer.apply(old, value));
        }
    }
}
