package io.tidemill.window;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.LongAggregateFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;
import io.tidemill.operator.Keys;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.Output;
import io.tidemill.operator.TimerQueue;
import io.tidemill.state.KeyGroupRange;
import io.tidemill.state.KeyGroups;
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
 *   <li>Each window's accumulators are {@link Accumulators}: copy-on-write, or a
 *       {@link LongAggregateFunction}'s longs unboxed, so that a snapshot being written
 *       concurrently keeps seeing the values it captured.
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
    private final LateRecords<IN> late;
    private final AggregateFunction<IN, ACC, R> aggregate;
    private final WindowResults<R, OUT, K> results;

    /** Whether a {@link LongAggregateFunction}'s accumulators are kept unboxed. */
    private final boolean unboxed;
    /** The assigner's panes (see {@link WindowAssigner#paneSize}), 0 without. */
    private final long paneSize;
    private final long paneOffset;
    private final ArrayList<Pending> open = new ArrayList<>();
    private OperatorContext ctx;
    private Output<OUT> out;
    private KeyGroupRange range;
    private int maxParallelism;
    private long watermark = Long.MIN_VALUE;
    /** True from a watermark until every window it made due has fired (see {@link #fireDue}). */
    private boolean firing;
    /** Where the firing of the oldest open window goes on (0: from its first key). */
    private int firePosition;
    /** True once a record without a representable window was logged. */
    private boolean warnedUnassignable;

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
    /** The accumulators of the last fired window, when the next window may reuse them. */
    private Accumulators<IN, ACC, R> spare;

    /** True when {@code WindowedStream} can use this operator for windows so configured. */
    public static boolean applies(WindowAssigner assigner, Trigger trigger, long allowedLateness) {
        return assigner.isEventTime() && !assigner.isMerging() && trigger == Trigger.eventTime()
                && allowedLateness == 0;
    }

    public AlignedWindowOperator(KeySelector<IN, K> keySelector, WindowAssigner assigner, LateRecords<IN> late,
                                 AggregateFunction<IN, ACC, R> aggregate, ProcessWindowFunction<R, OUT, K> windowFunction,
                                 boolean resultIsElements) {
        if (!applies(assigner, Trigger.eventTime(), 0)) {
            throw new IllegalArgumentException("aligned windows need non-merging event-time windows, not " + assigner);
        }
        this.keySelector = keySelector;
        this.assigner = assigner;
        this.late = late;
        this.aggregate = aggregate;
        this.unboxed = !resultIsElements;
        this.paneSize = assigner.paneSize();
        this.paneOffset = assigner.paneOffset();
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
    public void close() throws Exception {
        results.close();
    }

    @Override
    public void processElement(IN value, long timestamp) throws Exception {
        if (timestamp < runStart || timestamp >= runEnd) {
            if (!assigner.canAssign(timestamp)) {
                warnedUnassignable = late.handleUnassignable(value, timestamp, assigner, out, ctx, warnedUnassignable);
                return;
            }
            assignRun(timestamp);
        }
        if (run.isEmpty()) {
            late.handle(value, timestamp, out, ctx);
            return;
        }
        K key = Keys.of(keySelector, value);
        for (int i = 0; i < run.size(); i++) {
            run.get(i).accs.add(key, value);
        }
    }

    /** Fills the run cache for the pane of {@code timestamp} (or the timestamp alone, without panes). */
    private void assignRun(long timestamp) {
        runStart = paneSize > 0 ? TimeWindow.startOf(timestamp, paneOffset, paneSize) : timestamp;
        runEnd = paneSize > 0 ? runStart + paneSize : timestamp + 1;
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
        Accumulators<IN, ACC, R> accs = spare != null ? spare.clear()
                : new Accumulators<>(aggregate, unboxed, false, lastFiredKeys);
        spare = null;
        Pending p = new Pending(new TimeWindow(start, end), accs);
        open.add(lo, p);
        return p;
    }

    @Override
    public void processWatermark(long wm) throws Exception {
        watermark = wm;
        firing = true;
        fireDue();
    }

    @Override
    public boolean hasPendingOutput() {
        return firing;
    }

    @Override
    public void resumeOutput() {
        fireDue();
    }

    /**
     * Fires the windows due at {@link #watermark}, oldest first, then forwards it. Stops while the
     * output is full, with the window being fired first in {@link #open} and its position in
     * {@link #firePosition}; nothing changes the windows until the firing goes on.
     */
    private void fireDue() {
        while (!open.isEmpty() && open.get(0).window.maxTimestamp() <= watermark) {
            Pending p = open.get(0);
            if (firePosition == 0) {
                lastFiredKeys = p.accs.size();
            }
            firePosition = p.fire(firePosition);
            if (firePosition >= 0) {
                return; // output full: resumeOutput goes on from here
            }
            firePosition = 0;
            open.remove(0);
            runEnd = runStart; // the run may hold a window that fired
            if (p.accs.reusable()) {
                spare = p.accs;
            }
        }
        firing = false;
        out.emitWatermark(watermark);
    }

    /**
     * Per key group, as {@link WindowOperator} writes it: {@code keys, (key, windows, (start, end,
     * count, accumulator)*)*}, empty event and processing-time timer lists (this operator has none),
     * and the watermark (see {@link WindowSnapshots}). So either operator restores the other's
     * snapshot: a window with allowed lateness added or removed across a savepoint fires exactly
     * once. The synchronous part only captures each window's map (copy-on-write); grouping by key
     * and encoding run deferred.
     */
    @Override
    public void snapshotState(SnapshotWriter writer) throws Exception {
        ctx.keyedState().snapshot(writer);
        List<TimeWindow> windows = new ArrayList<>(open.size());
        List<Accumulators.Captured> captured = new ArrayList<>(open.size());
        for (Pending p : open) {
            windows.add(p.window);
            captured.add(p.accs.capture());
        }
        long wm = watermark;
        writer.defer(SnapshotWriter.Deferred.releasing(w -> writeByKeyGroup(windows, captured, wm, w),
                () -> captured.forEach(Accumulators.Captured::release)));
    }

    @SuppressWarnings("unchecked")
    private void writeByKeyGroup(List<TimeWindow> windows, List<Accumulators.Captured> captured, long wm,
                                 SnapshotWriter writer) throws IOException {
        List<Map<K, List<Object>>> byGroup = new ArrayList<>(range.size());
        for (int g = 0; g < range.size(); g++) {
            byGroup.add(new LinkedHashMap<>());
        }
        for (int i = 0; i < windows.size(); i++) {
            TimeWindow window = windows.get(i);
            captured.get(i).forEach((key, acc) -> {
                int g = KeyGroups.keyGroupOf(key, maxParallelism) - range.start();
                List<Object> l = byGroup.get(g).computeIfAbsent((K) key, k -> new ArrayList<>(2));
                l.add(window);
                l.add(acc);
            });
        }
        for (int g = 0; g < range.size(); g++) {
            DataOutput o = writer.keyGroup(range.start() + g);
            WindowSnapshots.writeKeyCount(byGroup.get(g).size(), o);
            for (Map.Entry<K, List<Object>> e : byGroup.get(g).entrySet()) {
                List<Object> l = e.getValue();
                WindowSnapshots.writeKey(e.getKey(), l.size() / 2, o);
                for (int j = 0; j < l.size(); j += 2) {
                    WindowSnapshots.writeWindow((TimeWindow) l.get(j), 1, l.get(j + 1), o);
                }
            }
            // this operator has no timers
            WindowSnapshots.writeTimersAndWatermark(List.of(), List.of(), wm, o);
        }
    }

    /**
     * Reads windows written by this operator or by {@link WindowOperator}. Windows that had fired
     * when the snapshot was taken (the general operator keeps them for allowed lateness) are left
     * out: this operator has no lateness, and they must not fire again.
     */
    @Override
    public void restoreState(RestoredState restored) throws Exception {
        ctx.keyedState().restore(restored);
        for (int kg = range.start(); kg <= range.end(); kg++) {
            DataInput in = restored.keyGroup(kg);
            if (in == null) {
                continue;
            }
            // kept until the group's watermark, at the end of its section, is read
            List<RestoredWindow> entries = new ArrayList<>();
            TimerQueue ignored = new TimerQueue(); // the general operator's trigger timers: not needed here
            // without a recorded watermark (an older snapshot), every window counts as still to fire
            long firedUpTo = WindowSnapshots.readSection(in,
                    (key, window, count, acc) -> entries.add(new RestoredWindow(key, window, acc)), ignored, ignored)
                    .orElse(Long.MIN_VALUE);
            for (RestoredWindow e : entries) {
                if (e.window().maxTimestamp() > firedUpTo) {
                    pending(e.window().start(), e.window().end()).accs.restore(e.key(), e.accumulator());
                }
            }
        }
    }

    /** One key's accumulator of one window, as read from a snapshot. */
    private record RestoredWindow(Object key, TimeWindow window, Object accumulator) {}

    /** A window that has not fired, with the accumulator of every key that has records in it. */
    private final class Pending {
        final TimeWindow window;
        final Accumulators<IN, ACC, R> accs;

        Pending(TimeWindow window, Accumulators<IN, ACC, R> accs) {
            this.window = window;
            this.accs = accs;
        }

        /**
         * Emits the keys' results from {@code position} (0 to begin) until all are out (returns -1)
         * or the output is full (returns where to go on).
         */
        @SuppressWarnings("unchecked")
        int fire(int position) {
            return accs.forEachResultFrom(position, out::isFull,
                    (key, result) -> results.emit((K) key, window, watermark, result));
        }
    }
}
