package io.tidemill.window;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.api.function.KeySelector;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;
import io.tidemill.checkpoint.codec.ValueCodec;
import io.tidemill.operator.Keys;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.Output;
import java.io.DataInput;
import java.io.DataOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * The local step of a pre-aggregated window: each subtask folds its own records into one
 * accumulator per key (or a single one, for windows over the whole stream) and pane (an event-time
 * tumbling window; panes tile the user's windows), and sends each on as a {@link WindowPartial} when
 * its watermark passes the pane, stamped with the pane's last timestamp, to be merged with the
 * other subtasks' partials by a keyed window of the user's assigner. Records cross the network
 * once per key, pane and subtask instead of once each.
 *
 * <p>Invariants:
 * <ul>
 *   <li>{@link #open} holds the panes this subtask has records for and has not sent, sorted by
 *       start; a pane is sent (and leaves) when the watermark reaches its last timestamp.
 *   <li>Nothing is judged late here: a record for a pane already sent goes on at once as a partial
 *       of its own, and the merging step, whose watermark is the minimum over all subtasks, decides
 *       which windows it is late for, exactly as a window after a plain {@code keyBy} would. With
 *       a late side output, such a partial carries the record, for the merging step to send there.
 *   <li>A partial of a pane is never late at the merging step: it is sent before the watermark
 *       that passed the pane, and the merging step's watermark is at most this subtask's.
 *   <li>Panes are operator state (not keyed): on restore, old subtask {@code i}'s panes go to new
 *       subtask {@code i mod parallelism}, since partials are merged downstream anyway.
 * </ul>
 *
 * @param <IN> input record type
 * @param <K> key type
 * @param <ACC> accumulator type
 */
public final class LocalWindowOperator<IN, K, ACC> implements Operator<IN, WindowPartial<K, ACC>> {
    /** The one key of a window over the whole stream. */
    private static final Long WHOLE_STREAM = 0L;

    private final KeySelector<IN, K> keySelector;
    private final TumblingWindows panes;
    private final AggregateFunction<IN, ACC, ?> aggregate;
    /** Whether a record sent on its own (after its pane was sent) travels with its partial. */
    private final boolean keepLateRecords;
    private final ArrayList<Pane> open = new ArrayList<>();
    private OperatorContext ctx;
    private Output<WindowPartial<K, ACC>> out;
    private long watermark = Long.MIN_VALUE;
    private Pane lastHit;
    /** Keys in the pane sent last: new panes are sized for as many, to skip growing. */
    private int lastFlushedKeys;
    /** True from a watermark until every pane it made due was sent (see {@link #flushDue}). */
    private boolean flushing;
    /** Where sending the oldest due pane goes on (0: from its first key). */
    private int flushPosition;
    /** A sent pane's unboxed accumulators, cleared and reused by the next new pane. */
    private Accumulators<IN, ACC, ?> spare;

    /**
     * {@code keySelector} null: one accumulator per pane, for a window over the whole stream.
     * {@code keepLateRecords}: a record that comes after its pane was sent travels with its partial
     * (see {@link WindowPartial#late}), for a window with a late side output.
     */
    public LocalWindowOperator(KeySelector<IN, K> keySelector, TumblingWindows panes,
                               AggregateFunction<IN, ACC, ?> aggregate, boolean keepLateRecords) {
        this.keySelector = keySelector;
        this.panes = panes;
        this.aggregate = aggregate;
        this.keepLateRecords = keepLateRecords;
    }

    @Override
    public void open(OperatorContext ctx, Output<WindowPartial<K, ACC>> out) {
        this.ctx = ctx;
        this.out = out;
    }

    @SuppressWarnings("unchecked")
    @Override
    public void processElement(IN value, long timestamp) throws Exception {
        Object key = keySelector == null ? WHOLE_STREAM : Keys.of(keySelector, value);
        Pane p = lastHit;
        if (p == null || timestamp < p.start || timestamp - p.start >= panes.size()) {
            if (!panes.canAssign(timestamp)) {
                // No pane fits in a long: the merging step, whose windows do not fit either, handles
                // it as late (its late-data policy, and the warning saying why).
                ACC acc = aggregate.add(value, aggregate.createAccumulator());
                out.emit(new WindowPartial<>(keySelector == null ? null : (K) key, timestamp, timestamp, acc,
                        keepLateRecords ? new WindowPartial.Late(value, timestamp) : null), timestamp);
                return;
            }
            long start = TimeWindow.startOf(timestamp, panes.offset(), panes.size());
            long end = start + panes.size();
            if (end - 1 <= watermark) {
                ACC acc = aggregate.add(value, aggregate.createAccumulator());
                emit(key, start, end, acc, keepLateRecords ? new WindowPartial.Late(value, timestamp) : null);
                return;
            }
            p = lastHit = pane(start, end);
        }
        p.accs.add(key, value);
    }

    @SuppressWarnings("unchecked")
    private void emit(Object key, long start, long end, ACC acc, WindowPartial.Late late) {
        out.emit(new WindowPartial<>(keySelector == null ? null : (K) key, start, end, acc, late), end - 1);
    }

    private Pane pane(long start, long end) {
        int lo = 0;
        int hi = open.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            long s = open.get(mid).start;
            if (s < start) {
                lo = mid + 1;
            } else if (s > start) {
                hi = mid - 1;
            } else {
                return open.get(mid);
            }
        }
        Accumulators<IN, ACC, ?> accs = spare != null ? spare.clear()
                : new Accumulators<>(aggregate, true, keySelector == null, lastFlushedKeys);
        spare = null;
        Pane p = new Pane(start, end, accs);
        open.add(lo, p);
        return p;
    }

    @Override
    public void processWatermark(long wm) {
        watermark = wm;
        flushing = true;
        flushDue();
    }

    @Override
    public boolean hasPendingOutput() {
        return flushing;
    }

    @Override
    public void resumeOutput() {
        flushDue();
    }

    /**
     * Sends the partials of the panes due at {@link #watermark}, oldest first, then forwards it.
     * Stops while the output is full, with the pane being sent first in {@link #open} and its
     * position in {@link #flushPosition}; nothing changes the panes until the flush goes on.
     */
    private void flushDue() {
        while (!open.isEmpty() && open.get(0).end - 1 <= watermark) {
            Pane p = open.get(0);
            if (flushPosition == 0) {
                lastFlushedKeys = p.accs.size();
            }
            flushPosition = p.accs.forEachAccumulatorFrom(flushPosition, out::isFull,
                    (key, acc) -> emit(key, p.start, p.end, acc, null));
            if (flushPosition >= 0) {
                return; // output full: resumeOutput goes on from here
            }
            flushPosition = 0;
            open.remove(0);
            lastHit = null;
            if (p.accs.reusable()) {
                spare = p.accs; // the partials hold accumulators of their own, and snapshots copy the arrays
            }
        }
        flushing = false;
        out.emitWatermark(watermark);
    }

    /**
     * Operator state: {@code panes, (start, end, entries, (key, accumulator)*)*}. The panes are
     * captured copy-on-write and encoded in the deferred part.
     */
    @Override
    public void snapshotState(SnapshotWriter writer) {
        List<long[]> bounds = new ArrayList<>(open.size());
        List<Accumulators.Captured> captured = new ArrayList<>(open.size());
        for (Pane p : open) {
            bounds.add(new long[] {p.start, p.end});
            captured.add(p.accs.capture());
        }
        writer.defer(SnapshotWriter.Deferred.releasing(w -> {
            DataOutput o = w.operatorState();
            o.writeInt(captured.size());
            for (int i = 0; i < captured.size(); i++) {
                o.writeLong(bounds.get(i)[0]);
                o.writeLong(bounds.get(i)[1]);
                o.writeInt(captured.get(i).size());
                captured.get(i).forEach((key, acc) -> {
                    ValueCodec.write(key, o);
                    ValueCodec.write(acc, o);
                });
            }
        }, () -> captured.forEach(Accumulators.Captured::release)));
    }

    @SuppressWarnings("unchecked")
    @Override
    public void restoreState(RestoredState restored) throws Exception {
        List<DataInput> states = restored.operatorStates();
        for (int i = 0; i < states.size(); i++) {
            DataInput in = states.get(i);
            boolean mine = i % ctx.parallelism() == ctx.subtaskIndex();
            int n = in.readInt();
            for (int j = 0; j < n; j++) {
                long start = in.readLong();
                long end = in.readLong();
                int entries = in.readInt();
                for (int e = 0; e < entries; e++) {
                    Object key = ValueCodec.read(in);
                    ACC acc = (ACC) ValueCodec.read(in);
                    if (mine) {
                        pane(start, end).accs.restore(key, acc);
                    }
                }
            }
        }
    }

    /** A pane with the accumulators of this subtask's records in it. */
    private final class Pane {
        final long start;
        final long end;
        final Accumulators<IN, ACC, ?> accs;

        Pane(long start, long end, Accumulators<IN, ACC, ?> accs) {
            this.start = start;
            this.end = end;
            this.accs = accs;
        }
    }
}
