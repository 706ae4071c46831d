package io.tidemill.window;

import io.tidemill.api.function.AggregateFunction;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;
import io.tidemill.checkpoint.codec.ValueCodec;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.Output;
import java.io.DataInput;
import java.io.DataOutput;
import java.util.ArrayList;
import java.util.List;

/**
 * The local step of a non-keyed window aggregation: each subtask folds its own records into one
 * accumulator per pane (an event-time tumbling window; panes tile the user's windows) and sends it
 * on as a {@link WindowPartial} when its watermark passes the pane, stamped with the pane's last
 * timestamp, to be merged with the other subtasks' partials by a keyed window of the user's
 * assigner. Records cross the network once per pane and subtask instead of once each.
 *
 * <p>Invariants:
 * <ul>
 *   <li>{@link #open} holds the panes this subtask has records for and has not sent, sorted by
 *       end; a pane is sent (and leaves) when the watermark reaches its last timestamp.
 *   <li>Nothing is judged late here: a record for a pane already sent goes on at once as a partial
 *       of its own, and the merging step, whose watermark is the minimum over all subtasks, decides
 *       which windows it is late for, exactly as a keyed window would.
 * </ul>
 *
 * @param <IN> input record type
 * @param <ACC> accumulator type
 */
public final class LocalWindowOperator<IN, ACC> implements Operator<IN, WindowPartial<ACC>> {
    private final TumblingWindows panes;
    private final AggregateFunction<IN, ACC, ?> aggregate;
    private final ArrayList<Pane<ACC>> open = new ArrayList<>();
    private OperatorContext ctx;
    private Output<WindowPartial<ACC>> out;
    private long watermark = Long.MIN_VALUE;
    private Pane<ACC> lastHit;

    public LocalWindowOperator(TumblingWindows panes, AggregateFunction<IN, ACC, ?> aggregate) {
        this.panes = panes;
        this.aggregate = aggregate;
    }

    @Override
    public void open(OperatorContext ctx, Output<WindowPartial<ACC>> out) {
        this.ctx = ctx;
        this.out = out;
    }

    @Override
    public void processElement(IN value, long timestamp) {
        long start = TimeWindow.startOf(timestamp, panes.offset(), panes.size());
        long end = start + panes.size();
        if (end - 1 <= watermark) {
            out.emit(new WindowPartial<>(start, end, aggregate.add(value, aggregate.createAccumulator())), end - 1);
            return;
        }
        Pane<ACC> p = lastHit;
        if (p == null || p.start != start) {
            p = lastHit = pane(start, end);
        }
        p.acc = aggregate.add(value, p.acc);
    }

    private Pane<ACC> pane(long start, long end) {
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
        Pane<ACC> p = new Pane<>(start, end, aggregate.createAccumulator());
        open.add(lo, p);
        return p;
    }

    @Override
    public void processWatermark(long wm) {
        watermark = wm;
        int due = 0;
        while (due < open.size() && open.get(due).end - 1 <= wm) {
            Pane<ACC> p = open.get(due++);
            out.emit(new WindowPartial<>(p.start, p.end, p.acc), p.end - 1);
        }
        if (due > 0) {
            open.subList(0, due).clear();
            lastHit = null;
        }
        out.emitWatermark(wm);
    }

    /** Operator state: {@code panes, (start, end, accumulator)*}; a few panes, written as they are. */
    @Override
    public void snapshotState(SnapshotWriter writer) throws Exception {
        DataOutput o = writer.operatorState();
        o.writeInt(open.size());
        for (Pane<ACC> p : open) {
            o.writeLong(p.start);
            o.writeLong(p.end);
            ValueCodec.write(p.acc, o);
        }
    }

    /**
     * Old subtask {@code i}'s panes go to new subtask {@code i mod parallelism}, merged with any
     * other's for the same pane: partials are merged downstream anyway, so any split is correct.
     */
    @SuppressWarnings("unchecked")
    @Override
    public void restoreState(RestoredState restored) throws Exception {
        List<DataInput> states = restored.operatorStates();
        for (int i = 0; i < states.size(); i++) {
            DataInput in = states.get(i);
            int n = in.readInt();
            for (int j = 0; j < n; j++) {
                long start = in.readLong();
                long end = in.readLong();
                ACC acc = (ACC) ValueCodec.read(in);
                if (i % ctx.parallelism() == ctx.subtaskIndex()) {
                    Pane<ACC> p = pane(start, end);
                    p.acc = aggregate.merge(p.acc, acc);
                }
            }
        }
    }

    private static final class Pane<ACC> {
        final long start;
        final long end;
        ACC acc;

        Pane(long start, long end, ACC acc) {
            this.start = start;
            this.end = end;
            this.acc = acc;
        }
    }
}
