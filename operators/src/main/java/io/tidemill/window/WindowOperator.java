package io.tidemill.window;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.KeySelector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.operator.Keys;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.Output;
import io.tidemill.operator.TimerQueue;
import io.tidemill.operator.TimerSnapshots;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;
import io.tidemill.checkpoint.codec.StateCopier;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import io.tidemill.state.CowHashMap;
import io.tidemill.state.KeyGroupRange;
import io.tidemill.state.KeyGroups;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;

/**
 * Keyed windows: assigns each record to windows, folds it into each window's accumulator, and emits
 * when the trigger fires.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A window's state lives until its cleanup time: {@code maxTimestamp + allowedLateness} in
 *       event time ({@code maxTimestamp} in processing time), measured against the watermark.
 *   <li>A record is late for a window when the window's cleanup time is at or below the current
 *       watermark; it is then left out of that window. A record late for all its windows goes to the
 *       late side output if there is one, else is counted as dropped.
 *   <li>Session windows of one key never overlap or touch: a new record's window merges with every
 *       window it intersects, so one pass keeps the invariant.
 *   <li>Timers are deleted lazily: a timer whose window no longer exists (merged or purged) is
 *       ignored when it fires.
 * </ul>
 *
 * <p>State is kept per key group (one map per owned group) so that it can be snapshotted and
 * redistributed by key group.
 *
 * @param <K> key type
 * @param <IN> input record type
 * @param <ACC> accumulator type
 * @param <R> aggregate result type
 * @param <OUT> output type
 */
public final class WindowOperator<K, IN, ACC, R, OUT> implements Operator<IN, OUT> {
    private final KeySelector<IN, K> keySelector;
    private final WindowAssigner assigner;
    private final Trigger trigger;
    private final long allowedLateness;
    private final LateRecords<IN> late;
    private final AggregateFunction<IN, ACC, R> aggregate;
    private final WindowResults<R, OUT, K> results;

    /** Timers the trigger registered, except the cleanup timers (see {@link #isCleanupTimer}). */
    private final TimerQueue eventTimers = new TimerQueue();
    private final TimerQueue processingTimers = new TimerQueue();
    /**
     * The cleanup timer of every window, in the assigner's time domain: pushed once when the window
     * opens, never deleted, so unlike trigger timers it needs no hash set for deduplication or
     * deletion. An entry whose window is gone is skipped when it surfaces (or, for a window merged
     * into a session, stands for that session: see {@link #fireTimer}).
     */
    private final TimerQueue.Heap cleanups = new TimerQueue.Heap();
    private final Fire fire = new Fire();
    private OperatorContext ctx;
    private Output<OUT> out;
    private KeyGroupRange range;
    private int maxParallelism;
    /** Per owned key group: the open windows of each key, copied on write after a snapshot. */
    private CowHashMap<Object, KeyWindows>[] groups;
    private long watermark = Long.MIN_VALUE;

    // Per-record scratch, to assign windows without allocating a lambda per record.
    private K currentKey;
    private IN currentValue;
    private long currentTimestamp;
    private KeyWindows currentWindows;
    private CowHashMap<Object, KeyWindows> currentGroup;
    private boolean assignedAny;
    /** True from a watermark or processing time until every timer it made due has fired. */
    private boolean firing;
    private long firingTime;
    private boolean firingEventTime;
    /** Processing-time windows still to fire at the end of input (key, windows, window), from endingNext. */
    private List<Object[]> ending;
    private int endingNext;
    /** True once a record without a representable window was logged. */
    private boolean warnedUnassignable;
    private final WindowAssigner.WindowSink addToWindow = this::addToWindow;

    public WindowOperator(KeySelector<IN, K> keySelector, WindowAssigner assigner, Trigger trigger,
                          long allowedLateness, LateRecords<IN> late, AggregateFunction<IN, ACC, R> aggregate,
                          ProcessWindowFunction<R, OUT, K> windowFunction, boolean resultIsElements) {
        this.keySelector = keySelector;
        this.assigner = assigner;
        this.trigger = trigger;
        this.allowedLateness = assigner.isEventTime() ? allowedLateness : 0;
        this.late = late;
        this.aggregate = aggregate;
        this.results = new WindowResults<>(windowFunction, resultIsElements);
    }

    @SuppressWarnings("unchecked")
    @Override
    public void open(OperatorContext ctx, Output<OUT> out) throws Exception {
        this.ctx = ctx;
        this.out = out;
        this.range = ctx.keyedState().keyGroupRange();
        this.maxParallelism = ctx.keyedState().maxParallelism();
        this.groups = new CowHashMap[range.size()];
        for (int i = 0; i < groups.length; i++) {
            groups[i] = new CowHashMap<>(KeyWindows::copy);
        }
        results.open(ctx, out);
    }

    @Override
    public void close() throws Exception {
        results.close();
    }

    @Override
    public void processElement(IN value, long timestamp) throws Exception {
        long ts = assigner.isEventTime() ? timestamp : ctx.currentProcessingTime();
        if (!assigner.canAssign(ts)) {
            warnedUnassignable = late.handleUnassignable(value, timestamp, assigner, out, ctx, warnedUnassignable);
            return;
        }
        K key = Keys.of(keySelector, value);
        currentKey = key;
        currentValue = value;
        currentTimestamp = ts;
        currentGroup = groups[KeyGroups.keyGroupOf(key, maxParallelism) - range.start()];
        currentWindows = currentGroup.getForUpdate(key);
        assignedAny = false;
        if (assigner.isMerging()) {
            addToSession(ts);
        } else {
            assigner.assignWindows(ts, addToWindow);
        }
        if (!assignedAny) {
            late.handle(value, timestamp, out, ctx);
        }
        if (currentWindows != null && currentWindows.size == 0) {
            currentGroup.remove(key);
        }
        currentValue = null;
    }

    private void addToWindow(long start, long end) {
        if (isLate(end - 1)) {
            return;
        }
        assignedAny = true;
        KeyWindows kw = windowsOfCurrentKey();
        int i = kw.indexOf(start, end);
        if (i < 0) {
            i = kw.add(new TimeWindow(start, end), aggregate.createAccumulator());
            registerCleanup(kw.windows[i]);
        }
        kw.accs[i] = aggregate.add(currentValue, kw.<ACC>acc(i));
        kw.counts[i]++;
        onTrigger(trigger.onElement(currentTimestamp, kw.windows[i], fire.at(currentKey, kw, i)), kw, i);
    }

    /**
     * Merges the record's window {@code [ts, ts + gap)} with every window of the key it intersects
     * (the cover grows as they merge), then adds the record to the merged accumulator. Allocates a
     * new window only when the merge changed the bounds.
     */
    private void addToSession(long ts) {
        long start = ts;
        long end = ts + ((SessionWindows) assigner).gap();
        KeyWindows kw = currentWindows;
        TimeWindow last = null;
        ACC acc = null;
        long count = 1;
        if (kw != null) {
            for (int i = kw.size - 1; i >= 0; i--) {
                TimeWindow w = kw.windows[i];
                if (w.start() <= end && w.end() >= start) {
                    start = Math.min(start, w.start());
                    end = Math.max(end, w.end());
                    acc = acc == null ? kw.acc(i) : aggregate.merge(kw.acc(i), acc);
                    count += kw.counts[i];
                    deleteTimers(w);
                    kw.remove(i);
                    last = w;
                }
            }
        }
        boolean merged = last != null;
        if (!merged && isLate(end - 1)) {
            return;
        }
        TimeWindow window = merged && last.start() == start && last.end() == end ? last : new TimeWindow(start, end);
        acc = aggregate.add(currentValue, merged ? acc : aggregate.createAccumulator());
        assignedAny = true;
        kw = windowsOfCurrentKey();
        int i = kw.add(window, acc);
        kw.counts[i] = count;
        if (merged) {
            // no cleanup entry of its own: those of the windows it absorbed stand for it (see fireTimer)
            trigger.onMerge(window, fire.at(currentKey, kw, i));
        } else {
            registerCleanup(window);
        }
        onTrigger(trigger.onElement(currentTimestamp, window, fire.at(currentKey, kw, i)), kw, i);
    }

    private KeyWindows windowsOfCurrentKey() {
        if (currentWindows == null) {
            currentWindows = new KeyWindows();
            currentGroup.put(currentKey, currentWindows);
        }
        return currentWindows;
    }

    private boolean isLate(long maxTimestamp) {
        return assigner.isEventTime() && cleanupTime(maxTimestamp) <= watermark;
    }

    private long cleanupTime(long maxTimestamp) {
        long t = maxTimestamp + allowedLateness;
        return t < maxTimestamp ? Long.MAX_VALUE : t;
    }

    private void registerCleanup(TimeWindow w) {
        long time = assigner.isEventTime() ? cleanupTime(w.maxTimestamp()) : w.maxTimestamp();
        cleanups.push(new TimerQueue.Timer(time, currentKey, w));
    }

    /** Deletes the trigger's timers of a window that merged away; its cleanup entry goes stale. */
    private void deleteTimers(TimeWindow w) {
        eventTimers.delete(w.maxTimestamp(), currentKey, w);
        if (cleanupTime(w.maxTimestamp()) != w.maxTimestamp()) {
            eventTimers.delete(cleanupTime(w.maxTimestamp()), currentKey, w);
        }
        processingTimers.delete(w.maxTimestamp(), currentKey, w);
    }

    /** True for the timer every open window has (see {@link #cleanups}); a trigger registering it is a no-op. */
    private boolean isCleanupTimer(long time, boolean eventTime, TimeWindow w) {
        return eventTime == assigner.isEventTime()
                && time == (eventTime ? cleanupTime(w.maxTimestamp()) : w.maxTimestamp());
    }

    private void onTrigger(Trigger.Result result, KeyWindows kw, int i) {
        if (result.fires()) {
            emit(kw, i);
        }
        if (result.purges()) {
            kw.accs[i] = aggregate.createAccumulator();
            kw.counts[i] = 0;
        }
    }

    private void emit(KeyWindows kw, int i) {
        results.emit(currentKey, kw.windows[i], watermark, aggregate.getResult(kw.acc(i)));
    }

    @Override
    public void processWatermark(long wm) throws Exception {
        watermark = wm;
        startFiring(wm, true);
    }

    @Override
    public long nextProcessingTime() {
        long cleanup = assigner.isEventTime() ? Long.MAX_VALUE : cleanups.nextTime();
        return Math.min(processingTimers.nextTime(), cleanup);
    }

    @Override
    public void onProcessingTime(long now) {
        startFiring(now, false);
    }

    @Override
    public boolean hasPendingOutput() {
        return firing || ending != null;
    }

    /** Fires the timers due at {@code time}; a firing that pauses on a full output goes on in {@link #resumeOutput}. */
    private void startFiring(long time, boolean eventTime) {
        firing = true;
        firingTime = time;
        firingEventTime = eventTime;
        resumeOutput();
    }

    @Override
    public void resumeOutput() {
        if (firing) {
            if (!fireDue(firingEventTime ? eventTimers : processingTimers, firingTime, firingEventTime)) {
                return;
            }
            firing = false;
            if (firingEventTime) {
                out.emitWatermark(firingTime);
            }
        }
        if (ending != null) {
            fireEnding();
        }
    }

    /**
     * Fires the trigger and cleanup timers due at {@code time} in time order (trigger timers first
     * on ties); false if it stopped because the output is full, with timers still due.
     */
    private boolean fireDue(TimerQueue timers, long time, boolean eventTime) {
        boolean withCleanups = eventTime == assigner.isEventTime();
        while (true) {
            TimerQueue.Timer t;
            boolean cleanupDue = withCleanups && cleanups.size() > 0 && cleanups.nextTime() <= time;
            boolean cleanup = cleanupDue && (timers.size() == 0 || cleanups.nextTime() < timers.nextTime());
            if (cleanup) {
                t = cleanups.pop();
            } else if ((t = timers.pollDue(time)) == null) {
                return true;
            }
            fireTimer(t, eventTime, cleanup);
            if (out.isFull()) {
                return false;
            }
        }
    }

    /**
     * Fires one timer of a window. A session that grows by merging does not get a new cleanup entry
     * each time (that would be one per record): the entry of a window it absorbed surfaces first,
     * finds the session that now covers that window, and is pushed again at the session's cleanup
     * time. (Session windows of a key never overlap, so the covering window is the one it merged into.)
     */
    @SuppressWarnings("unchecked")
    private void fireTimer(TimerQueue.Timer t, boolean eventTime, boolean cleanupEntry) {
        currentKey = (K) t.key();
        currentGroup = groups[KeyGroups.keyGroupOf(currentKey, maxParallelism) - range.start()];
        KeyWindows kw = currentGroup.getForUpdate(currentKey);
        TimeWindow w = (TimeWindow) t.namespace();
        int i = kw == null ? -1 : kw.indexOf(w.start(), w.end());
        if (i < 0) {
            int cover = cleanupEntry && assigner.isMerging() && kw != null ? kw.indexOfCover(w) : -1;
            if (cover >= 0) {
                registerCleanup(kw.windows[cover]);
            }
            return; // otherwise the window was cleaned up: a stale timer
        }
        Trigger.Result result = eventTime
                ? trigger.onEventTime(t.time(), w, fire.at(currentKey, kw, i))
                : trigger.onProcessingTime(t.time(), w, fire.at(currentKey, kw, i));
        onTrigger(result, kw, i);
        if (isCleanupTimer(t.time(), eventTime, w)) {
            kw.remove(i);
            if (kw.size == 0) {
                currentGroup.remove(currentKey);
            }
        }
    }

    /**
     * End of a bounded input. Event-time windows all fired with the final watermark; processing-time
     * windows still open fire now, in order of their end, so a bounded job loses nothing.
     */
    @SuppressWarnings("unchecked")
    @Override
    public void endInput() {
        if (assigner.isEventTime()) {
            return;
        }
        List<Object[]> open = new ArrayList<>();
        for (CowHashMap<Object, KeyWindows> g : groups) {
            g.forEachUnshared((key, kw) -> {
                for (int i = 0; i < kw.size; i++) {
                    open.add(new Object[] {key, kw, kw.windows[i]});
                }
            });
        }
        open.sort(Comparator.comparingLong(o -> ((TimeWindow) o[2]).end()));
        ending = open;
        endingNext = 0;
        fireEnding();
    }

    /** Fires the windows open at the end of input, in order of their end, until done or the output is full. */
    @SuppressWarnings("unchecked")
    private void fireEnding() {
        while (endingNext < ending.size()) {
            Object[] o = ending.get(endingNext++);
            currentKey = (K) o[0];
            KeyWindows kw = (KeyWindows) o[1];
            TimeWindow w = (TimeWindow) o[2];
            int i = kw.indexOf(w.start(), w.end());
            if (i >= 0 && kw.counts[i] > 0) {
                emit(kw, i);
            }
            if (out.isFull() && endingNext < ending.size()) {
                return;
            }
        }
        ending = null;
    }

    /**
     * Per key group: {@code keys, (key, windows, (start, end, count, accumulator)*)*}, then the event
     * and processing-time timers of the group's keys, then the watermark (see {@link WindowSnapshots}).
     */
    @Override
    public void snapshotState(SnapshotWriter writer) throws Exception {
        // Keyed state of the window function first, then windows and timers, in every group's section.
        ctx.keyedState().snapshot(writer);
        // Synchronous part: the timers copied to arrays, each group's windows captured copy-on-write;
        // the deferred part groups and encodes them off the task thread and releases the capture.
        TimerQueue.Timer[] eventCaptured = eventTimers.liveTimers();
        TimerQueue.Timer[] procCaptured = processingTimers.liveTimers();
        long wm = watermark;
        List<CowHashMap.Snapshot<Object, KeyWindows>> captured = new ArrayList<>(groups.length);
        for (CowHashMap<Object, KeyWindows> g : groups) {
            captured.add(g.snapshot());
        }
        writer.defer(SnapshotWriter.Deferred.releasing(w -> {
            List<List<TimerQueue.Timer>> event = TimerSnapshots.byKeyGroup(eventCaptured, range, maxParallelism);
            List<List<TimerQueue.Timer>> proc = TimerSnapshots.byKeyGroup(procCaptured, range, maxParallelism);
            for (int g = 0; g < captured.size(); g++) {
                DataOutput out = w.keyGroup(range.start() + g);
                writeWindows(captured.get(g), out);
                WindowSnapshots.writeTimersAndWatermark(event.get(g), proc.get(g), wm, out);
            }
        }, () -> captured.forEach(CowHashMap.Snapshot::release)));
    }

    private static void writeWindows(CowHashMap.Snapshot<Object, KeyWindows> windows, DataOutput out)
            throws IOException {
        WindowSnapshots.writeKeyCount(windows.size(), out);
        windows.forEach((key, kw) -> {
            WindowSnapshots.writeKey(key, kw.size, out);
            for (int i = 0; i < kw.size; i++) {
                WindowSnapshots.writeWindow(kw.windows[i], kw.counts[i], kw.accs[i], out);
            }
        });
    }

    /**
     * Cleanup timers are not written: every restored window gets its own again. An event-time window
     * that had not fired when the snapshot was taken (its last timestamp is above the watermark
     * recorded with it) gets a timer at its last timestamp, as the default trigger registers: a
     * snapshot of {@link AlignedWindowOperator} has no trigger timers, and without it a window
     * whose records had all arrived would never fire. (Registering a timer twice is a no-op.)
     */
    @SuppressWarnings("unchecked")
    @Override
    public void restoreState(RestoredState restored) throws Exception {
        ctx.keyedState().restore(restored);
        for (int g = 0; g < groups.length; g++) {
            DataInput in = restored.keyGroup(range.start() + g);
            if (in == null) {
                continue;
            }
            CowHashMap<Object, KeyWindows> group = groups[g];
            // without a recorded watermark (an older snapshot), the restored timers are all there is
            OptionalLong firedUpTo = WindowSnapshots.readSection(in, (key, w, count, acc) -> {
                KeyWindows kw = group.get(key);
                if (kw == null) {
                    kw = new KeyWindows();
                    group.put(key, kw);
                }
                int idx = kw.add(w, acc); // may grow the arrays: index them after
                kw.counts[idx] = count;
                currentKey = (K) key;
                registerCleanup(w);
            }, eventTimers, processingTimers);
            if (assigner.isEventTime() && firedUpTo.isPresent()) {
                groups[g].forEach((key, kw) -> {
                    for (int i = 0; i < kw.size; i++) {
                        TimeWindow w = kw.windows[i];
                        if (w.maxTimestamp() > firedUpTo.getAsLong() && !isCleanupTimer(w.maxTimestamp(), true, w)) {
                            eventTimers.register(w.maxTimestamp(), key, w);
                        }
                    }
                });
            }
        }
    }


    /** The open windows of one key: small parallel arrays, scanned linearly (a key has few windows). */
    private static final class KeyWindows {
        TimeWindow[] windows = new TimeWindow[2];
        Object[] accs = new Object[2];
        long[] counts = new long[2];
        int size;

        /** A private copy, accumulators included, for a write after a snapshot captured this one. */
        KeyWindows copy() {
            KeyWindows c = new KeyWindows();
            c.windows = windows.clone();
            c.counts = counts.clone();
            c.accs = new Object[accs.length];
            for (int i = 0; i < size; i++) {
                c.accs[i] = StateCopier.copy(accs[i]);
            }
            c.size = size;
            return c;
        }

        /** The window containing {@code w}, or -1. */
        int indexOfCover(TimeWindow w) {
            for (int i = 0; i < size; i++) {
                if (windows[i].start() <= w.start() && windows[i].end() >= w.end()) {
                    return i;
                }
            }
            return -1;
        }

        int indexOf(long start, long end) {
            for (int i = 0; i < size; i++) {
                TimeWindow w = windows[i];
                if (w.start() == start && w.end() == end) {
                    return i;
                }
            }
            return -1;
        }

        int add(TimeWindow w, Object acc) {
            if (size == windows.length) {
                int n = size * 2;
                windows = java.util.Arrays.copyOf(windows, n);
                accs = java.util.Arrays.copyOf(accs, n);
                counts = java.util.Arrays.copyOf(counts, n);
            }
            windows[size] = w;
            accs[size] = acc;
            counts[size] = 0;
            return size++;
        }

        void remove(int i) {
            int last = size - 1;
            windows[i] = windows[last];
            accs[i] = accs[last];
            counts[i] = counts[last];
            windows[last] = null;
            accs[last] = null;
            size = last;
        }

        @SuppressWarnings("unchecked")
        <A> A acc(int i) {
            return (A) accs[i];
        }
    }

    /** Trigger context of the window being handled. */
    private final class Fire implements Trigger.Context {
        private Object key;
        private KeyWindows kw;
        private int index;

        Fire at(Object key, KeyWindows kw, int index) {
            this.key = key;
            this.kw = kw;
            this.index = index;
            return this;
        }

        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public long currentProcessingTime() {
            return ctx.currentProcessingTime();
        }

        @Override
        public long count() {
            return kw.counts[index];
        }

        @Override
        public void registerEventTimeTimer(long time) {
            TimeWindow w = kw.windows[index];
            if (!isCleanupTimer(time, true, w)) {
                eventTimers.register(time, key, w);
            }
        }

        @Override
        public void registerProcessingTimeTimer(long time) {
            TimeWindow w = kw.windows[index];
            if (!isCleanupTimer(time, false, w)) {
                processingTimers.register(time, key, w);
            }
        }
    }
}
