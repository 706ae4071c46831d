package io.tidemill.state;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A hash map of state whose snapshots are copy-on-write: {@link #snapshot()} costs a copy of the
 * bucket array, not of the entries, and the task keeps reading and writing the map while another
 * thread reads the snapshot. An entry (or its value) is copied the first time it is written after a
 * snapshot that still needs it, so a checkpoint costs at most one copy per entry the task touches
 * while it is written out, instead of a copy of the whole state before records may flow again.
 *
 * <p>Invariants, with {@code highestRequired} the version of the newest snapshot not yet released:
 * <ul>
 *   <li>An entry whose {@code entryVersion < highestRequired} may be reachable from a snapshot's
 *       bucket array and is never modified: writes go to a copy linked in its place, and so do
 *       writes to the {@code next} link of its predecessor in the chain (the chain is copied from
 *       the bucket head down to it).
 *   <li>A value whose {@code valueVersion < highestRequired} may be read by a snapshot, so
 *       {@link #getForUpdate} hands out a private copy (made by the map's copier) before the caller
 *       mutates it. Values read with {@link #get} must not be mutated.
 *   <li>Entries created after a snapshot carry its version and are never reachable from it: new
 *       entries are linked at the bucket head, which the snapshot's array copy does not see.
 * </ul>
 *
 * <p>Not thread-safe, except that a snapshot may be read and {@link Snapshot#release released} by
 * one other thread while the owning thread goes on using the map.
 *
 * @param <K> key type: {@code hashCode} and {@code equals} of a value type
 * @param <V> value type
 */
public final class CowHashMap<K, V> {
    private static final int MIN_CAPACITY = 16;

    private final UnaryOperator<V> copier;
    private Entry<K, V>[] table;
    private int size;
    /** The version that entries and values created now get; a snapshot starts a new one. */
    private int version;
    /** Entries and values below this version may be shared with a live snapshot; 0 when none is live. */
    private int highestRequired;
    private final List<Snapshot<K, V>> live = new ArrayList<>(2);
    /** Set by a releasing thread; the owner then recomputes {@link #highestRequired}. */
    private volatile boolean anyReleased;

    /** {@code copier} makes a private copy of a value (identity for immutable values). */
    public CowHashMap(UnaryOperator<V> copier) {
        this(copier, 0);
    }

    /** A map sized to hold {@code expectedSize} entries without growing. */
    public CowHashMap(UnaryOperator<V> copier, int expectedSize) {
        this.copier = copier;
        int capacity = MIN_CAPACITY;
        while (capacity * 3 / 4 < expectedSize && capacity < (1 << 30)) {
            capacity *= 2;
        }
        this.table = newTable(capacity);
    }

    public int size() {
        return size;
    }

    public boolean isEmpty() {
        return size == 0;
    }

    /** The value of {@code key}, or null; it must not be mutated (see {@link #getForUpdate}). */
    public V get(K key) {
        int h = hash(key);
        for (Entry<K, V> e = table[h & (table.length - 1)]; e != null; e = e.next) {
            if (e.hash == h && (e.key == key || e.key.equals(key))) {
                return e.value;
            }
        }
        return null;
    }

    /** The value of {@code key}, or null; the caller may mutate it in place. */
    public V getForUpdate(K key) {
        int h = hash(key);
        int b = h & (table.length - 1);
        for (Entry<K, V> e = table[b]; e != null; e = e.next) {
            if (e.hash == h && (e.key == key || e.key.equals(key))) {
                if (e.valueVersion >= highestRequired || !stillRequired()) {
                    return e.value;
                }
                Entry<K, V> own = own(b, e);
                own.value = copier.apply(own.value);
                own.valueVersion = version;
                return own.value;
            }
        }
        return null;
    }

    public void put(K key, V value) {
        int h = hash(key);
        int b = h & (table.length - 1);
        for (Entry<K, V> e = table[b]; e != null; e = e.next) {
            if (e.hash == h && (e.key == key || e.key.equals(key))) {
                Entry<K, V> own = e.entryVersion >= highestRequired || !stillRequired() ? e : own(b, e);
                own.value = value;
                own.valueVersion = version;
                return;
            }
        }
        table[b] = new Entry<>(key, h, value, table[b], version, version);
        if (++size > table.length * 3 / 4) {
            resize();
        }
    }

    /** Removes {@code key}; returns its value or null. */
    public V remove(K key) {
        int h = hash(key);
        int b = h & (table.length - 1);
        Entry<K, V> prev = null;
        for (Entry<K, V> e = table[b]; e != null; prev = e, e = e.next) {
            if (e.hash == h && (e.key == key || e.key.equals(key))) {
                if (prev == null) {
                    table[b] = e.next;
                } else {
                    Entry<K, V> p = prev.entryVersion >= highestRequired || !stillRequired() ? prev : own(b, prev);
                    p.next = e.next;
                }
                size--;
                return e.value;
            }
        }
        return null;
    }

    /** Every entry, in no particular order; the values must not be mutated. */
    public void forEach(BiConsumer<? super K, ? super V> action) {
        forEach(table, action);
    }

    /**
     * Every entry, with values the action may mutate: a value still shared with a live snapshot is
     * handed over as a private copy, not stored back. For a map about to be dropped, such as the
     * contents of a window that fires.
     */
    public void forEachUnshared(BiConsumer<? super K, ? super V> action) {
        boolean shared = stillRequired();
        for (Entry<K, V> head : table) {
            for (Entry<K, V> e = head; e != null; e = e.next) {
                action.accept(e.key, shared && e.valueVersion < highestRequired ? copier.apply(e.value) : e.value);
            }
        }
    }

    /**
     * As {@link #forEachUnshared}, from bucket {@code from} on, stopping after a bucket when
     * {@code stop} says so: returns the bucket to go on from, or -1 when every entry was handed out.
     * For a walk that pauses between calls; the map must not change in between.
     */
    public int forEachUnsharedFrom(int from, BooleanSupplier stop, BiConsumer<? super K, ? super V> action) {
        boolean shared = stillRequired();
        for (int b = from; b < table.length; b++) {
            for (Entry<K, V> e = table[b]; e != null; e = e.next) {
                action.accept(e.key, shared && e.valueVersion < highestRequired ? copier.apply(e.value) : e.value);
            }
            if (b + 1 < table.length && stop.getAsBoolean()) {
                return b + 1;
            }
        }
        return -1;
    }

    /**
     * Captures the map as it is now, in time proportional to its bucket count. The snapshot may be
     * read by another thread; release it once read, so that writes stop copying.
     */
    public Snapshot<K, V> snapshot() {
        pruneReleased();
        version++;
        Snapshot<K, V> s = new Snapshot<>(this, table.clone(), size, version);
        live.add(s);
        highestRequired = version;
        return s;
    }

    /** False (and no copy needed) once every snapshot was released; rechecked only after a release. */
    private boolean stillRequired() {
        if (anyReleased) {
            pruneReleased();
        }
        return highestRequired > 0;
    }

    private void pruneReleased() {
        anyReleased = false;
        live.removeIf(s -> s.released);
        int highest = 0;
        for (Snapshot<K, V> s : live) {
            highest = Math.max(highest, s.version);
        }
        highestRequired = highest;
    }

    /**
     * Returns the entry standing for {@code target} that the map owns, copying the shared entries of
     * bucket {@code b} from its head down to {@code target} so that no shared entry is modified.
     */
    private Entry<K, V> own(int b, Entry<K, V> target) {
        Entry<K, V> prev = null;
        for (Entry<K, V> e = table[b]; ; e = e.next) {
            Entry<K, V> cur = e;
            if (e.entryVersion < highestRequired) {
                cur = new Entry<>(e.key, e.hash, e.value, e.next, version, e.valueVersion);
                if (prev == null) {
                    table[b] = cur;
                } else {
                    prev.next = cur;
                }
            }
            if (e == target) {
                return cur;
            }
            prev = cur;
        }
    }

    @SuppressWarnings("unchecked")
    private static <K, V> Entry<K, V>[] newTable(int capacity) {
        return (Entry<K, V>[]) new Entry[capacity];
    }

    /** Doubles the bucket array; shared entries are copied rather than relinked. */
    private void resize() {
        boolean shared = stillRequired();
        Entry<K, V>[] old = table;
        Entry<K, V>[] next = newTable(old.length * 2);
        int mask = next.length - 1;
        for (Entry<K, V> head : old) {
            Entry<K, V> e = head;
            while (e != null) {
                Entry<K, V> following = e.next;
                Entry<K, V> moved = shared && e.entryVersion < highestRequired
                        ? new Entry<>(e.key, e.hash, e.value, null, version, e.valueVersion)
                        : e;
                int b = e.hash & mask;
                moved.next = next[b];
                next[b] = moved;
                e = following;
            }
        }
        table = next;
    }

    private static int hash(Object key) {
        int h = key.hashCode();
        return h ^ (h >>> 16);
    }

    private static <K, V> void forEach(Entry<K, V>[] table, BiConsumer<? super K, ? super V> action) {
        for (Entry<K, V> head : table) {
            for (Entry<K, V> e = head; e != null; e = e.next) {
                action.accept(e.key, e.value);
            }
        }
    }

    private static final class Entry<K, V> {
        final K key;
        final int hash;
        V value;
        Entry<K, V> next;
        final int entryVersion;
        int valueVersion;

        Entry(K key, int hash, V value, Entry<K, V> next, int entryVersion, int valueVersion) {
            this.key = key;
            this.hash = hash;
            this.value = value;
            this.next = next;
            this.entryVersion = entryVersion;
            this.valueVersion = valueVersion;
        }
    }

    /** Reads the entries of a snapshot; may fail as the encoding it feeds does. */
    @FunctionalInterface
    public interface EntryReader<K, V> {
        void read(K key, V value) throws IOException;
    }

    /** The map's content at one moment, readable from another thread until released. */
    public static final class Snapshot<K, V> {
        private final CowHashMap<K, V> map;
        private final Entry<K, V>[] table;
        private final int size;
        private final int version;
        private volatile boolean released;

        private Snapshot(CowHashMap<K, V> map, Entry<K, V>[] table, int size, int version) {
            this.map = map;
            this.table = table;
            this.size = size;
            this.version = version;
        }

        public int size() {
            return size;
        }

        /** Every entry captured, typically to encode it; the values must not be mutated. */
        public void forEach(EntryReader<? super K, ? super V> reader) throws IOException {
            if (released) {
                throw new IllegalStateException("snapshot read after it was released");
            }
            for (Entry<K, V> head : table) {
                for (Entry<K, V> e = head; e != null; e = e.next) {
                    reader.read(e.key, e.value);
                }
            }
        }

        /** Lets the map stop copying for this snapshot; idempotent, callable from any thread. */
        public void release() {
            if (!released) {
                released = true;
                map.anyReleased = true;
            }
        }
    }
}
