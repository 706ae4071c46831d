package io.tidemill.window;

import io.tidemill.api.OutputTag;
import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.LongAggregateFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;
import io.tidemill.checkpoint.codec.StateCopier;
import io.tidemill.checkpoint.codec.ValueCodec;
import io.tidemill.operator.Keys;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.Output;
import io.tidemill.operator.TimerQueue;
import io.tidemill.operator.TimerSnapshots;
import io.tidemill.state.CowHashMap;
import io.tidemill.state.KeyGroupRange;
import io.tidemill.state.KeyGroups;
import io.tidemill.state.LongValueMap;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Event-time tumbling and sliding windows with the default trigger and no allowed lateness: the
 * common case, kept by window rather than by key. Every key's window {@code [start, end)} fires at
 * the same watermark, so one map per window (key to accumulator) replaces per-key timers: a record
 * costs one hash lookup per window it falls in, and firing a window walks its map once and drops
 * it. {@code WindowedStream} picks this operator when it applies and {@link WindowOperator}
 * otherwise; both give the same rows, and their snapshots have the same format.
 *
 * <p>Invariants:
 * <ul>
 *   <li>{@link #open} holds the windows that have not fired, sorted by end (then start); a window
 *       is there iff some record reached it, and it fires (and leaves) when the watermark reaches
 *       its last timestamp, {@code end - 1}.
 *   <li>A record is late for a window whose last timestamp is at or below the watermark: that
 *       window has fired. A record late for all its windows goes to the late side output if there
 *       is one, else is counted as dropped.
 *   <li>Accumulators are read for update through {@link CowHashMap#getForUpdate}, so that a
 *       snapshot being written concurrently keeps seeing the values it captured. A
 *       {@link LongAggregateFunction}'s accumulators are plain longs in a {@link LongValueMap},
 *       whose snapshot is a copy of its arrays.
 *   <li>Records of one pane of the assigner (see {@link WindowAssigner#paneSize}) fall in the same
 *       windows, so the windows of the last pane seen are kept in {@link #run} until one of them
 *       fires: most records skip the window assignment and the search for their windows.
 * </ul>
 *
 * @param <K> key type
 * @param <IN> input record type
 * @param <ACC> accumulator type
 * @param <R> aggregate result type
 * @param <OUT> output type
 */
public final class AlignedWindowOperator<K, IN, ACC, R, OUT> implements Operator<IN, OUT> {
    private final KeySelector<IN, K> keySelector;
    private final WindowAssigner assigner;
    private final OutputTag<IN> lateTag;
    private final AggregateFunction<IN, ACC, R> aggregate;
    private final WindowResults<R, OUT, K> results;

    /** The same aggregate when its accumulator is one long, kept unboxed; else null. */
    private final LongAggregateFunction<IN, R> longAggregate;
    private final ArrayList<Pending> open = new ArrayList<>();
    private OperatorContext ctx;
    private Output<OUT> out;
    private KeyGroupRange range;
    private int maxParallelism;
    private long watermark = Long.MIN_VALUE;

    /**
     * The run cache: every timestamp in {@code [runStart, runEnd)} (one pane of the assigner) falls
     * in the open windows {@code run}, so records of the same pane skip assigning windows. Emptied
     * whenever a window fires, which is the only way an open window closes.
     */
    private long runStart;
    private long runEnd = Long.MIN_VALUE;
    private final ArrayList<Pending> run = new ArrayList<>();
    private final WindowAssigner.WindowSink addToRun = this::addToRun;
    /** Keys in the window that fired last: new windows are sized for as many, to skip growing. */
    private int lastFiredKeys;
    /** The map of the last fired window of unboxed accumulators, cleared for the next window to reuse. */
    private LongValueMap<K> spareLongs;

    /** True when {@code WindowedStream} can use this operator for windows so configured. */
    public static boolean applies(WindowAssigner assigner, Trigger trigger, long allowedLateness) {
        return assigner.isEventTime() && !assigner.isMerging() && trigger == Trigger.eventTime()
                && allowedLateness == 0;
    }

    @SuppressWarnings("unchecked")
    public AlignedWindowOperator(KeySelector<IN, K> keySelector, WindowAssigner assigner, OutputTag<IN> lateTag,
                                 AggregateFunction<IN, ACC, R> aggregate, ProcessWindowFunction<R, OUT, K> windowFunction,
                                 boolean resultIsElements) {
        if (!applies(assigner, Trigger.eventTime(), 0)) {
            throw new IllegalArgumentException("aligned windows need non-merging event-time windows, not " + assigner);
        }
        this.keySelector = keySelector;
        this.assigner = assigner;
        this.lateTag = lateTag;
        this.aggregate = aggregate;
        this.longAggregate = aggregate instanceof LongAggregateFunction<?, ?> l && !resultIsElements
                ? (LongAggregateFunction<IN, R>) l : null;
        this.results = new WindowResults<>(windowFunction, resultIsElements);
    }

    @Override
    public void open(OperatorContext ctx, Output<OUT> out) throws Exception {
        this.ctx = ctx;
        this.out = out;
        this.range = ctx.keyedState().keyGroupRange();
        this.maxParallelism = ctx.keyedState().maxParallelism();
        results.open(ctx, out);
    }

    @Override
    public void processElement(IN value, long timestamp) throws Exception {
        if (timestamp < runStart || timestamp >= runEnd) {
            assignRun(timestamp);
        }
        if (run.isEmpty()) {
            if (lateTag != null) {
                out.emitSide(lateTag, value, timestamp);
            } else {
                ctx.countLateRecord();
            }
            return;
        }
        K key = Keys.of(keySelector, value);
        for (int i = 0; i < run.size(); i++) {
            run.get(i).add(key, value);
        }
    }

    /** Fills the run cache for the pane of {@code timestamp} (or the timestamp alone, without panes). */
    private void assignRun(long timestamp) {
        long pane = assigner.paneSize();
        runStart = pane > 0 ? TimeWindow.startOf(timestamp, assigner.paneOffset(), pane) : timestamp;
        runEnd = pane > 0 ? runStart + pane : timestamp + 1;
        if (runEnd < runStart) {
            runEnd = Long.MAX_VALUE; // the last pane before overflow
        }
        run.clear();
        assigner.assignWindows(timestamp, addToRun);
    }

    private void addToRun(long start, long end) {
        if (end - 1 > watermark) { // else fired already
            run.add(pending(start, end));
        }
    }

    /** The open window {@code [start, end)}, opened if it is not. */
    private Pending pending(long start, long end) {
        int lo = 0;
        int hi = open.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            TimeWindow w = open.get(mid).window;
            int c = w.end() != end ? Long.compare(w.end(), end) : Long.compare(w.start(), start);
            if (c < 0) {
                lo = mid + 1;
            } else if (c > 0) {
                hi = mid - 1;
            } else {
                return open.get(mid);
            }
        }
        TimeWindow window = new TimeWindow(start, end);
        Pending p = longAggregate != null ? new LongPending(window, lastFiredKeys) : new ObjectPending(window, lastFiredKeys);
        open.add(lo, p);
        return p;
    }

    @Override
    public void processWatermark(long wm) throws Exception {
        watermark = wm;
        int due = 0;
        while (due < open.size() && open.get(due).window.maxTimestamp() <= wm) {
            Pending p = open.get(due++);
            lastFiredKeys = p.size();
            p.fire();
            p.recycle();
        }
        if (due > 0) {
            open.subList(0, due).clear();
            runEnd = runStart; // the run may hold a window that fired
        }
        out.emitWatermark(wm);
    }

    /**
     * Per key group, as {@link WindowOperator} writes it: {@code keys, (key, windows, (start, end,
     * count, accumulator)*)*}, then empty event and processing-time timer lists. The synchronous part
     * only captures each window's map (copy-on-write); grouping by key and encoding run deferred.
     */
    @Override
    public void snapshotState(SnapshotWriter writer) throws Exception {
        ctx.keyedState().snapshot(writer);
        List<TimeWindow> windows = new ArrayList<>(open.size());
        List<Captured<K>> captured = new ArrayList<>(open.size());
        for (Pending p : open) {
            windows.add(p.window);
            captured.add(p.capture());
        }
        writer.defer(SnapshotWriter.Deferred.releasing(w -> writeByKeyGroup(windows, captured, w),
                () -> captured.forEach(Captured::release)));
    }

    private void writeByKeyGroup(List<TimeWindow> windows, List<Captured<K>> captured,
                                 SnapshotWriter writer) throws IOException {
        List<Map<K, List<Object>>> byGroup = new ArrayList<>(range.size());
        for (int g = 0; g < range.size(); g++) {
            byGroup.add(new LinkedHashMap<>());
        }
        for (int i = 0; i < windows.size(); i++) {
            TimeWindow window = windows.get(i);
            captured.get(i).forEach((key, acc) -> {
                int g = KeyGroups.keyGroupOf(key, maxParallelism) - range.start();
                List<Object> l = byGroup.get(g).computeIfAbsent(key, k -> new ArrayList<>(2));
                l.add(window);
                l.add(acc);
            });
        }
        for (int g = 0; g < range.size(); g++) {
            DataOutput o = writer.keyGroup(range.start() + g);
            o.writeInt(byGroup.get(g).size());
            for (Map.Entry<K, List<Object>> e : byGroup.get(g).entrySet()) {
                ValueCodec.write(e.getKey(), o);
                List<Object> l = e.getValue();
                o.writeInt(l.size() / 2);
                for (int j = 0; j < l.size(); j += 2) {
                    TimeWindow window = (TimeWindow) l.get(j);
                    o.writeLong(window.start());
                    o.writeLong(window.end());
                    o.writeLong(1); // the record count, which only count triggers read
                    ValueCodec.write(l.get(j + 1), o);
                }
            }
            o.writeInt(0); // event-time timers: this operator has none of its own
            o.writeInt(0); // processing-time timers
        }
    }

    /** Reads windows written by this operator or by {@link WindowOperator}; trigger timers are not needed. */
    @SuppressWarnings("unchecked")
    @Override
    public void restoreState(RestoredState restored) throws Exception {
        ctx.keyedState().restore(restored);
        for (int kg = range.start(); kg <= range.end(); kg++) {
            DataInput in = restored.keyGroup(kg);
            if (in == null) {
                continue;
            }
            int keys = in.readInt();
            for (int k = 0; k < keys; k++) {
                K key = (K) ValueCodec.read(in);
                int n = in.readInt();
                for (int i = 0; i < n; i++) {
                    long start = in.readLong();
                    long end = in.readLong();
                    in.readLong(); // count
                    pending(start, end).restore(key, ValueCodec.read(in));
                }
            }
            TimerQueue ignored = new TimerQueue();
            TimerSnapshots.read(in, ignored);
            TimerSnapshots.read(in, ignored);
        }
    }


    /** A window that has not fired, with the accumulator of every key that has records in it. */
    private abstract class Pending {
        final TimeWindow window;

        Pending(TimeWindow window) {
            this.window = window;
        }

        abstract int size();

        /** Adds a record of {@code key} to its accumulator. */
        abstract void add(K key, IN value);

        /** Emits every key's result. */
        abstract void fire();

        /** The accumulators as they are now, for a snapshot. */
        abstract Captured<K> capture();

        /** Puts a restored accumulator. */
        abstract void restore(K key, Object accumulator);

        /** Hands what the next window may reuse to the operator, once this one has fired. */
        void recycle() {}
    }

    /** Accumulators as objects, in a copy-on-write map. */
    private final class ObjectPending extends Pending {
        final CowHashMap<K, ACC> accs;

        @SuppressWarnings("unchecked")
        ObjectPending(TimeWindow window, int expectedKeys) {
            super(window);
            this.accs = new CowHashMap<>(v -> (ACC) StateCopier.copy(v), expectedKeys);
        }

        @Override
        int size() {
            return accs.size();
        }

        @Override
        void add(K key, IN value) {
            ACC acc = accs.getForUpdate(key);
            ACC next = aggregate.add(value, acc == null ? aggregate.createAccumulator() : acc);
            if (next != acc) {
                accs.put(key, next);
            }
        }

        @Override
        void fire() {
            // getResult or the window function may mutate an accumulator a snapshot still reads
            accs.forEachUnshared((key, acc) -> results.emit(key, window, watermark, aggregate.getResult(acc)));
        }

        @Override
        Captured<K> capture() {
            CowHashMap.Snapshot<K, ACC> snapshot = accs.snapshot();
            return new Captured<>() {
                @Override
                public void forEach(CowHashMap.EntryReader<K, Object> reader) throws IOException {
                    snapshot.forEach(reader::read);
                }

                @Override
                public void release() {
                    snapshot.release();
                }
            };
        }

        @SuppressWarnings("unchecked")
        @Override
        void restore(K key, Object accumulator) {
            accs.put(key, (ACC) accumulator);
        }
    }

    /** Accumulators of a {@link LongAggregateFunction}, unboxed. */
    private final class LongPending extends Pending {
        final LongValueMap<K> accs;

        LongPending(TimeWindow window, int expectedKeys) {
            super(window);
            if (spareLongs != null) {
                spareLongs.clear(); // snapshots copy the arrays, so no snapshot can still be reading them
                this.accs = spareLongs;
                spareLongs = null;
            } else {
                this.accs = new LongValueMap<>(expectedKeys);
            }
        }

        @Override
        void recycle() {
            spareLongs = accs;
        }

        @Override
        int size() {
            return accs.size();
        }

        @Override
        void add(K key, IN value) {
            int slot = accs.slotOf(key, longAggregate.initial());
            accs.setValueAt(slot, longAggregate.add(value, accs.valueAt(slot)));
        }

        @Override
        void fire() {
            accs.forEach((key, acc) -> results.emit(key, window, watermark, longAggregate.result(acc)));
        }

        @Override
        Captured<K> capture() {
            LongValueMap.Snapshot<K> snapshot = accs.snapshot();
            return new Captured<>() {
                @Override
                public void forEach(CowHashMap.EntryReader<K, Object> reader) throws IOException {
                    snapshot.forEach((key, acc) -> reader.read(key, new long[] {acc}));
                }

                @Override
                public void release() {}
            };
        }

        @Override
        void restore(K key, Object accumulator) {
            accs.put(key, ((long[]) accumulator)[0]);
        }
    }

    /** A window's accumulators captured for a snapshot, read on the snapshot thread. */
    private interface Captured<K> {
        /** Every key with its accumulator, in the object form the snapshot format holds. */
        void forEach(CowHashMap.EntryReader<K, Object> reader) throws IOException;

        void release();
    }
}
