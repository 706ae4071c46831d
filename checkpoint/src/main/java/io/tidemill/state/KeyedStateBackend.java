package io.tidemill.state;

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
        StateTable table = new StateTable(descriptor.kind(), range.size());
        tables.put(descriptor.name(), table);
        Object handle = switch (descriptor.kind()) {
            case VALUE -> new Value<>(table);
            case LIST -> new ListOf<>(table);
            case MAP -> new MapOf<>(table);
            case REDUCING -> new Reducing<>(table, (BinaryOperator<Object>) descriptor.reducer());
        };
        handles.put(descriptor.name(), handle);
        return (S) handle;
    }

    /** Number of keys holding any state, summed over all states (for tests and metrics). */
    public long size() {
        long n = 0;
        for (StateTable t : tables.values()) {
            for (HashMap<Object, Object> m : t.groups) {
                n += m.size();
            }
        }
        return n;
    }

    /** One named state: a map per key group. */
    static final class StateTable {
        final StateDescriptor.Kind kind;
        final HashMap<Object, Object>[] groups;

        @SuppressWarnings("unchecked")
        StateTable(StateDescriptor.Kind kind, int groupCount) {
            this.kind = kind;
            this.groups = new HashMap[groupCount];
            for (int i = 0; i < groupCount; i++) {
                groups[i] = new HashMap<>();
            }
        }
    }

    private abstract class Handle {
        final StateTable table;

        Handle(StateTable table) {
            this.table = table;
        }

        final HashMap<Object, Object> group() {
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
            return (T) group().get(currentKey);
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
            List<T> list = (List<T>) group().get(currentKey);
            return list == null ? List.of() : Collections.unmodifiableList(list);
        }

        @SuppressWarnings("unchecked")
        @Override
        public void add(T value) {
            ((List<T>) group().computeIfAbsent(currentKey, k -> new ArrayList<>())).add(value);
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
            Map<K, V> m = (Map<K, V>) group().get(currentKey);
            if (m == null && create) {
                m = new HashMap<>();
                group().put(currentKey, m);
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
            Map<K, V> m = map(false);
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
            return (T) group().get(currentKey);
        }

        @SuppressWarnings("unchecked")
        @Override
        public void add(T value) {
            HashMap<Object, Object> g = group();
            T old = (T) g.get(currentKey);
            g.put(currentKey, old == null ? value : reducer.apply(old, value));
        }
    }
}
