package io.tidemill.operator;

import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.sink.TransactionalSinkWriter;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;
import io.tidemill.checkpoint.codec.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Hands records to a sink writer; the end of every chain that ends in a sink. With a
 * {@link TransactionalSinkWriter} it runs the sink side of two-phase commit: pre-commit at each
 * barrier, commit when the checkpoint completes, recover after a restore. Transactions not yet
 * committed are part of the snapshot, so a checkpoint that completed but whose notification was lost
 * is still committed after the restore.
 */
public final class SinkOperator<T> implements Operator<T, Void> {
    private final Sink<T> sink;
    private SinkWriter<T> writer;
    private TransactionalSinkWriter<T, Object> transactional;
    private final TreeMap<Long, Object> pending = new TreeMap<>();
    private int subtask;
    private int parallelism;

    public SinkOperator(Sink<T> sink) {
        this.sink = sink;
    }

    @SuppressWarnings("unchecked")
    @Override
    public void open(OperatorContext ctx, Output<Void> out) throws Exception {
        writer = sink.createWriter(ctx.subtaskIndex(), ctx.parallelism());
        subtask = ctx.subtaskIndex();
        parallelism = ctx.parallelism();
        if (writer instanceof TransactionalSinkWriter<?, ?> t) {
            transactional = (TransactionalSinkWriter<T, Object>) t;
        }
    }

    @Override
    public void processElement(T value, long timestamp) throws Exception {
        writer.write(value, timestamp);
    }

    @Override
    public void processWatermark(long watermark) {}

    @Override
    public boolean isBlocking() {
        return sink.isBlocking();
    }

    @Override
    public void snapshotState(SnapshotWriter snapshot) throws Exception {
        if (transactional == null) {
            return;
        }
        pending.put(snapshot.checkpointId(), transactional.preCommit(snapshot.checkpointId()));
        DataOutput out = snapshot.operatorState();
        out.writeInt(pending.size());
        for (Map.Entry<Long, Object> e : pending.entrySet()) {
            out.writeLong(e.getKey());
            ValueCodec.write(e.getValue(), out);
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        if (transactional == null) {
            return;
        }
        Map<Long, Object> done = pending.headMap(checkpointId, true);
        if (!done.isEmpty()) {
            transactional.commit(new ArrayList<>(done.values()));
            done.clear();
        }
    }

    /** Old subtask {@code i}'s transactions go to new subtask {@code i mod parallelism}. */
    @Override
    public void restoreState(RestoredState restored) throws Exception {
        if (transactional == null) {
            return;
        }
        List<Object> mine = new ArrayList<>();
        List<DataInput> states = restored.operatorStates();
        for (int i = 0; i < states.size(); i++) {
            DataInput in = states.get(i);
            int n = in.readInt();
            for (int j = 0; j < n; j++) {
                in.readLong();
                Object tx = ValueCodec.read(in);
                if (i % parallelism == subtask) {
                    mine.add(tx);
                }
            }
        }
        transactional.recover(restored.checkpointId(), mine, subtask, parallelism);
    }

    @Override
    public void endInput() throws Exception {
        if (transactional != null && !pending.isEmpty()) {
            // Checkpoints in flight at the end were aborted; their data is committed with the rest.
            transactional.commit(new ArrayList<>(pending.values()));
            pending.clear();
        }
        writer.finish();
    }

    @Override
    public void close() throws Exception {
        if (writer != null) {
            writer.close();
        }
    }
}
