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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 *   <li>Merging windows of one key never merge with each other: a new record's window merges with
 *       every window the assigner says it merges with ({@link WindowAssigner#mergesWith}), passing
 *       again while the cover grows.
 *   <li>Timers are deleted lazily: a timer whose window no longer exists (merged or purged) is
 *       ignored when it fires.
 *   <li>A window fires only with contents: a FIRE of a window whose contents are empty (purged, or
 *       emptied by an evictor) emits nothing, as in Flink.
 *   <li>Trigger state ({@link Trigger.State}) is kept per window beside its contents, merged only
 *       through the trigger's {@code onMerge}, and dropped with the window after {@link Trigger#clear}.
 *   <li>With an {@link Evictor}, a window's contents are its records with their timestamps; the
 *       aggregate is applied to what the evictor leaves when the window fires.
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
    /** Null, or removes records from a window's contents when it fires. */
    private final Evictor<IN> evictor;
    /**
     * What a window's contents are: the aggregate's accumulator, or with an evictor the list of
     * records with their timestamps.
     */
    private final AggregateFunction<Object, Object, Object> contents;
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
    /** The record's own timestamp, kept with it for an evictor. */
    private long currentRecordTimestamp;
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
    private final WindowAssigner.WindowSink addToMerging = this::addToMerging;
    /** In {@link Trigger#onMerge}: the trigger state of the windows that merged (see {@link Fire#mergeState}). */
    private final List<Map<String, Object>> mergedStates = new ArrayList<>();
    private final EvictorContext evictorContext = new EvictorContext();
    /** True when the assigner keeps the default merge rule (windows that intersect merge): one pass finds them. */
    private final boolean mergesByIntersection;

    public WindowOperator(KeySelector<IN, K> keySelector, WindowAssigner assigner, Trigger trigger,
                          long allowedLateness, LateRecords<IN> late, AggregateFunction<IN, ACC, R> aggregate,
                          ProcessWindowFunction<R, OUT, K> windowFunction, boolean resultIsElements) {
        this(keySelector, assigner, trigger, allowedLateness, late, aggregate, windowFunction, resultIsElements, null);
    }

    /** As above, with {@code evictor} (null for none) removing records when a window fires. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public WindowOperator(KeySelector<IN, K> keySelector, WindowAssigner assigner, Trigger trigger,
                          long allowedLateness, LateRecords<IN> late, AggregateFunction<IN, ACC, R> aggregate,
                          ProcessWindowFunction<R, OUT, K> windowFunction, boolean resultIsElements,
                          Evictor<? super IN> evictor) {
        this.keySelector = keySelector;
        this.assigner = assigner;
        this.trigger = trigger;
        this.allowedLateness = assigner.isEventTime() ? allowedLateness : 0;
        this.late = late;
        this.aggregate = aggregate;
        this.evictor = (Evictor<IN>) evictor;
        this.contents = evictor == null ? (AggregateFunction) aggregate : (AggregateFunction) new RecordList<IN>();
        this.results = new WindowResults<>(windowFunction, resultIsElements);
        this.mergesByIntersection = keepsDefaultMergeRule(assigner);
    }

    private static boolean keepsDefaultMergeRule(WindowAssigner assigner) {
        try {
            return assigner.getClass().getMethod("mergesWith", TimeWindow.class, TimeWindow.class)
                    .getDeclaringClass() == WindowAssigner.class;
        } catch (NoSuchMethodException e) {
            throw new AssertionError("WindowAssigner declares mergesWith", e);
        }
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
        currentRecordTimestamp = timestamp;
        currentGroup = groups[KeyGroups.keyGroupOf(key, maxParallelism) - range.start()];
        currentWindows = currentGroup.getForUpdate(key);
        assignedAny = false;
        assigner.assignWindows(value, ts, assigner.isMerging() ? addToMerging : addToWindow);
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
            i = kw.add(new TimeWindow(start, end), contents.createAccumulator());
            registerCleanup(kw.windows[i]);
        }
        kw.accs[i] = contents.add(element(), kw.accs[i]);
        kw.counts[i]++;
        onTrigger(trigger.onElement(currentValue, currentTimestamp, kw.windows[i], fire.at(currentKey, kw, i)), kw, i);
    }

    /** What the current record adds to a window's contents: itself, or with its timestamp for an evictor. */
    private Object element() {
        return evictor == null ? currentValue : new TimestampedValue<>(currentValue, currentRecordTimestamp);
    }

    /**
     * Merges the record's window {@code [start, end)} with every window of the key the assigner
     * merges it with (again while the cover grows), then adds the record to the merged contents.
     * The merged window is new only when the merge changed the bounds; the trigger merges its state
     * in {@code onMerge} before it sees the record.
     */
    private void addToMerging(long start, long end) {
        KeyWindows kw = currentWindows;
        TimeWindow last = null;
        Object acc = null;
        long count = 1;
        mergedStates.clear();
        boolean grew = kw != null;
        while (grew) {
            grew = false;
            for (int i = kw.size - 1; i >= 0; i--) {
                TimeWindow w = kw.windows[i];
                if (mergesByIntersection ? w.start() <= end && w.end() >= start
                        : assigner.mergesWith(new TimeWindow(start, end), w)) {
                    if (w.start() < start || w.end() > end) {
                        start = Math.min(start, w.start());
                        end = Math.max(end, w.end());
                        // windows that intersect are all found in one pass (a window between two
                        // that the new one intersects lies inside it); another rule may need more
                        grew = !mergesByIntersection;
                    }
                    acc = acc == null ? kw.accs[i] : contents.merge(kw.accs[i], acc);
                    count += kw.counts[i];
                    if (kw.states[i] != null) {
                        mergedStates.add(kw.states[i]);
                    }
                    deleteTimers(w);
                    kw.remove(i); // the last window moves to i: it was visited already
                    last = w;
                }
            }
        }
        boolean merged = last != null;
        if (!merged && isLate(end - 1)) {
            return;
        }
        TimeWindow window = merged && last.start() == start && last.end() == end ? last : new TimeWindow(start, end);
        acc = contents.add(element(), merged ? acc : contents.createAccumulator());
        assignedAny = true;
        kw = windowsOfCurrentKey();
        int i = kw.add(window, acc);
        kw.counts[i] = count;
        if (merged) {
            // no cleanup entry of its own: those of the windows it absorbed stand for it (see fireTimer)
            trigger.onMerge(window, fire.at(currentKey, kw, i));
            mergedStates.clear();
        } else {
            registerCleanup(window);
        }
        onTrigger(trigger.onElement(currentValue, currentTimestamp, window, fire.at(currentKey, kw, i)), kw, i);
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
        if (w.isGlobal()) {
            return; // no end, no cleanup (Flink sets no cleanup timer at the end of time either)
        }
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
        return eventTime == assigner.isEventTime() && !w.isGlobal()
                && time == (eventTime ? cleanupTime(w.maxTimestamp()) : w.maxTimestamp());
    }

    private void onTrigger(Trigger.Result result, KeyWindows kw, int i) {
        if (result.fires()) {
            emit(kw, i);
        }
        if (result.purges()) {
            kw.accs[i] = contents.createAccumulator();
            kw.counts[i] = 0;
        }
    }

    /**
     * Emits a window's result, unless its contents are empty (Flink skips such a firing too). With an
     * evictor: evicts before, aggregates what remains, evicts after, and keeps what remains.
     */
    private void emit(KeyWindows kw, int i) {
        if (kw.counts[i] == 0) {
            return;
        }
        TimeWindow w = kw.windows[i];
        if (evictor == null) {
            results.emit(currentKey, w, watermark, aggregate.getResult(kw.acc(i)));
            return;
        }
        List<TimestampedValue<IN>> elements = kw.acc(i);
        evictor.evictBefore(elements, elements.size(), w, evictorContext);
        if (!elements.isEmpty()) {
            ACC acc = aggregate.createAccumulator();
            for (TimestampedValue<IN> e : elements) {
                acc = aggregate.add(e.value(), acc);
            }
            results.emit(currentKey, w, watermark, aggregate.getResult(acc));
        }
        evictor.evictAfter(elements, elements.size(), w, evictorContext);
        kw.counts[i] = elements.size();
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
            trigger.clear(w, fire.at(currentKey, kw, i));
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
                    if (!kw.windows[i].isGlobal()) { // a global window fires only by its trigger
                        open.add(new Object[] {key, kw, kw.windows[i]});
                    }
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
            if (i >= 0) {
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
                writeTriggerStates(captured.get(g), out);
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

    /** After the watermark: the windows with trigger state (see {@link WindowSnapshots#writeTriggerStates}). */
    private static void writeTriggerStates(CowHashMap.Snapshot<Object, KeyWindows> windows, DataOutput out)
            throws IOException {
        List<WindowSnapshots.TriggerStateEntry> entries = new ArrayList<>();
        windows.forEach((key, kw) -> {
            for (int i = 0; i < kw.size; i++) {
                if (kw.states[i] != null) {
                    entries.add(new WindowSnapshots.TriggerStateEntry(key, kw.windows[i], kw.states[i]));
                }
            }
        });
        WindowSnapshots.writeTriggerStates(entries, out);
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
            WindowSnapshots.readTriggerStates(in, (key, w, state) -> {
                KeyWindows kw = group.get(key);
                int idx = kw == null ? -1 : kw.indexOf(w.start(), w.end());
                if (idx >= 0) {
                    kw.states[idx] = new HashMap<>(state);
                }
            });
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
        /** Each window's trigger state by name, null while it has none. */
        Map<String, Object>[] states = newStates(2);
        int size;

        @SuppressWarnings("unchecked")
        private static Map<String, Object>[] newStates(int n) {
            return new Map[n];
        }

        /** A private copy, accumulators included, for a write after a snapshot captured this one. */
        KeyWindows copy() {
            KeyWindows c = new KeyWindows();
            c.windows = windows.clone();
            c.counts = counts.clone();
            c.states = states.clone();
            for (int i = 0; i < size; i++) {
                if (states[i] != null) {
                    c.states[i] = new HashMap<>(states[i]);
                }
            }
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
                states = java.util.Arrays.copyOf(states, n);
            }
            windows[size] = w;
            accs[size] = acc;
            counts[size] = 0;
            states[size] = null;
            return size++;
        }

        void remove(int i) {
            int last = size - 1;
            windows[i] = windows[last];
            accs[i] = accs[last];
            counts[i] = counts[last];
            states[i] = states[last];
            windows[last] = null;
            accs[last] = null;
            states[last] = null;
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

        @Override
        public void deleteEventTimeTimer(long time) {
            TimeWindow w = kw.windows[index];
            if (!isCleanupTimer(time, true, w)) { // the cleanup entry stays: it removes the window
                eventTimers.delete(time, key, w);
            }
        }

        @Override
        public void deleteProcessingTimeTimer(long time) {
            TimeWindow w = kw.windows[index];
            if (!isCleanupTimer(time, false, w)) {
                processingTimers.delete(time, key, w);
            }
        }

        @SuppressWarnings("unchecked")
        @Override
        public <S> S state(Trigger.State<S> state) {
            Map<String, Object> m = kw.states[index];
            return m == null ? null : (S) m.get(state.name());
        }

        @Override
        public <S> void setState(Trigger.State<S> state, S value) {
            Map<String, Object> m = kw.states[index];
            if (value != null) {
                if (m == null) {
                    m = new HashMap<>(4);
                    kw.states[index] = m;
                }
                m.put(state.name(), value);
            } else if (m != null) {
                m.remove(state.name());
                if (m.isEmpty()) {
                    kw.states[index] = null;
                }
            }
        }

        @SuppressWarnings("unchecked")
        @Override
        public <S> void mergeState(Trigger.State<S> state) {
            S merged = state(state);
            for (Map<String, Object> from : mergedStates) {
                S v = (S) from.get(state.name());
                if (v != null) {
                    merged = merged == null ? v : state.merge().apply(merged, v);
                }
            }
            setState(state, merged);
        }
    }

    /** What an evictor sees. */
    private final class EvictorContext implements Evictor.Context {
        @Override
        public long currentWatermark() {
            return watermark;
        }

        @Override
        public long currentProcessingTime() {
            return ctx.currentProcessingTime();
        }
    }

    /** A window's contents with an evictor: its records with their timestamps, in arrival order. */
    private static final class RecordList<T> implements AggregateFunction<TimestampedValue<T>,
            List<TimestampedValue<T>>, List<TimestampedValue<T>>> {
        @Override
        public List<TimestampedValue<T>> createAccumulator() {
            return new ArrayList<>();
        }

        @Override
        public List<TimestampedValue<T>> add(TimestampedValue<T> value, List<TimestampedValue<T>> acc) {
            acc.add(value);
            return acc;
        }

        @Override
        public List<TimestampedValue<T>> getResult(List<TimestampedValue<T>> acc) {
            return acc;
        }

        @Override
        public List<TimestampedValue<T>> merge(List<TimestampedValue<T>> a, List<TimestampedValue<T>> b) {
            a.addAll(b);
            return a;
        }
    }
}
