package io.tidemill.window;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.LongAggregateFunction;
import io.tidemill.checkpoint.codec.StateCopier;
import io.tidemill.state.CowHashMap;
import io.tidemill.state.LongValueMap;
import java.io.IOException;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * The accumulators of one window (or pane), per key, for the window operators that keep their state
 * by window. Kept one of three ways:
 * <ul>
 *   <li>a {@link LongAggregateFunction}'s longs unboxed, in a {@link LongValueMap} whose snapshot is
 *       a copy of its arrays;
 *   <li>for a window over the whole stream (one key), the one accumulator in a field, copied before
 *       the first write after a snapshot took it;
 *   <li>else in a copy-on-write map.
 * </ul>
 * Snapshots see every accumulator as an object ({@code long[1]} for unboxed ones), so all three
 * write the same format.
 *
 * @param <IN> input record type
 * @param <ACC> accumulator type
 * @param <R> aggregate result type
 */
final class Accumulators<IN, ACC, R> {
    private final AggregateFunction<IN, ACC, R> aggregate;
    /** The same aggregate when its accumulator is one long, kept unboxed; else null. */
    private final LongAggregateFunction<IN, R> longAggregate;
    private final LongValueMap<Object> longs;
    private final CowHashMap<Object, ACC> accs;
    private Object singleKey;
    private ACC single;
    /** True while a snapshot may be reading {@link #single}. */
    private boolean singleShared;

    /**
     * Accumulators for {@code aggregate}, sized for {@code expectedKeys}; {@code unboxed} keeps a
     * {@link LongAggregateFunction}'s longs unboxed, {@code oneKey} holds a single key's in a field.
     */
    @SuppressWarnings("unchecked")
    Accumulators(AggregateFunction<IN, ACC, R> aggregate, boolean unboxed, boolean oneKey, int expectedKeys) {
        this.aggregate = aggregate;
        this.longAggregate = unboxed && aggregate instanceof LongAggregateFunction<?, ?> l
                ? (LongAggregateFunction<IN, R>) l : null;
        this.longs = longAggregate != null ? new LongValueMap<>(expectedKeys) : null;
        this.accs = longAggregate == null && !oneKey ? new CowHashMap<>(v -> (ACC) StateCopier.copy(v), expectedKeys)
                : null;
    }

    int size() {
        return longs != null ? longs.size() : accs != null ? accs.size() : single != null ? 1 : 0;
    }

    /** True when {@link #clear} can make these accumulators serve another window. */
    boolean reusable() {
        return longs != null;
    }

    /** Empties reusable accumulators; no snapshot can still read them, as snapshots copy the arrays. */
    Accumulators<IN, ACC, R> clear() {
        longs.clear();
        return this;
    }

    /** Adds a record of {@code key}. */
    @SuppressWarnings("unchecked")
    void add(Object key, IN value) {
        if (longs != null) {
            int slot = longs.slotOf(key, longAggregate.initial());
            longs.setValueAt(slot, longAggregate.add(value, longs.valueAt(slot)));
        } else if (accs != null) {
            ACC acc = accs.getForUpdate(key);
            ACC next = aggregate.add(value, acc == null ? aggregate.createAccumulator() : acc);
            if (next != acc) {
                accs.put(key, next);
            }
        } else {
            if (single == null) {
                single = aggregate.createAccumulator();
                singleKey = key;
            } else if (singleShared) {
                single = (ACC) StateCopier.copy(single);
            }
            singleShared = false;
            single = aggregate.add(value, single);
        }
    }

    /** Every key's result, for a window that fires. */
    void forEachResult(BiConsumer<Object, R> action) {
        if (longs != null) {
            longs.forEach((key, acc) -> action.accept(key, longAggregate.result(acc)));
        } else {
            // getResult, or what it is handed to, may mutate an accumulator a snapshot still reads
            forEachAccumulator((key, acc) -> action.accept(key, aggregate.getResult(acc)));
        }
    }

    /**
     * Every key's result from {@code position} on (0 to begin), stopping when {@code stop} says so:
     * returns the position to go on from, or -1 when every result was handed out. For a window that
     * fires in several calls because its output filled up; the accumulators must not change between.
     */
    int forEachResultFrom(int position, BooleanSupplier stop, BiConsumer<Object, R> action) {
        if (longs != null) {
            return longs.forEachFrom(position, stop, (key, acc) -> action.accept(key, longAggregate.result(acc)));
        }
        if (accs != null) {
            // getResult, or what it is handed to, may mutate an accumulator a snapshot still reads
            return accs.forEachUnsharedFrom(position, stop, (key, acc) -> action.accept(key, aggregate.getResult(acc)));
        }
        forEachResult(action);
        return -1;
    }

    /**
     * As {@link #forEachAccumulator}, from {@code position} on (0 to begin), stopping when
     * {@code stop} says so: returns the position to go on from, or -1 when all were handed out.
     */
    @SuppressWarnings("unchecked")
    int forEachAccumulatorFrom(int position, BooleanSupplier stop, BiConsumer<Object, ACC> action) {
        if (longs != null) {
            return longs.forEachFrom(position, stop, (key, acc) -> action.accept(key, (ACC) new long[] {acc}));
        }
        if (accs != null) {
            return accs.forEachUnsharedFrom(position, stop, action);
        }
        forEachAccumulator(action);
        return -1;
    }

    /** Every key's accumulator, the caller's to keep or change, for accumulators about to be dropped. */
    @SuppressWarnings("unchecked")
    void forEachAccumulator(BiConsumer<Object, ACC> action) {
        if (longs != null) {
            longs.forEach((key, acc) -> action.accept(key, (ACC) new long[] {acc}));
        } else if (accs != null) {
            accs.forEachUnshared(action);
        } else if (single != null) {
            action.accept(singleKey, singleShared ? (ACC) StateCopier.copy(single) : single);
        }
    }

    /** Puts a restored accumulator, merged with the one {@code key} has already. */
    @SuppressWarnings("unchecked")
    void restore(Object key, Object accumulator) {
        if (longs != null) {
            long value = ((long[]) accumulator)[0];
            int before = longs.size();
            int slot = longs.slotOf(key, value);
            if (longs.size() == before) {
                longs.setValueAt(slot, longAggregate.merge(longs.valueAt(slot), value));
            }
        } else if (accs != null) {
            ACC existing = accs.get(key);
            accs.put(key, existing == null ? (ACC) accumulator : aggregate.merge(existing, (ACC) accumulator));
        } else {
            single = single == null ? (ACC) accumulator : aggregate.merge(single, (ACC) accumulator);
            singleKey = key;
        }
    }

    /** The accumulators as they are now, for a snapshot written on another thread. */
    Captured capture() {
        if (longs != null) {
            LongValueMap.Snapshot<Object> s = longs.snapshot();
            return new Captured(s.size(), r -> s.forEach((key, acc) -> r.read(key, new long[] {acc})), () -> { });
        }
        if (accs != null) {
            CowHashMap.Snapshot<Object, ACC> s = accs.snapshot();
            return new Captured(s.size(), s::forEach, s::release);
        }
        Object key = singleKey;
        ACC captured = single;
        singleShared = captured != null;
        return new Captured(captured == null ? 0 : 1, r -> {
            if (captured != null) {
                r.read(key, captured);
            }
        }, () -> { });
    }

    /** Accumulators captured for a snapshot: read them on the snapshot thread, then release them. */
    record Captured(int size, Walk walk, Runnable releaser) {
        /** Every key with its accumulator, in the object form the snapshot format holds. */
        void forEach(CowHashMap.EntryReader<Object, Object> reader) throws IOException {
            walk.forEach(reader);
        }

        void release() {
            releaser.run();
        }
    }

    /** Reads captured entries. */
    @FunctionalInterface
    interface Walk {
        void forEach(CowHashMap.EntryReader<Object, Object> reader) throws IOException;
    }
}
