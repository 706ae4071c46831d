package io.tidemill.operator;

import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.sink.TransactionalSinkWriter;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.checkpoint.SnapshotWriter;
import io.tidemill.checkpoint.codec.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Hands records to a sink writer; the end of every chain that ends in a sink. With a
 * {@link TransactionalSinkWriter} it runs the sink side of two-phase commit: pre-commit at each
 * barrier, commit when the checkpoint completes, recover after a restore. Transactions not yet
 * committed are part of the snapshot, so a checkpoint that completed but whose notification was lost
 * is still committed after the restore.
 *
 * <p>{@link #onWriterThread On a writer thread}, the writer's calls run on a thread of its own, in
 * order, and the task never waits for them: for a blocking sink written from a cooperative task (a
 * source's dead letters to Kafka). Then the pre-commit at a barrier finishes off the task's thread
 * too, and the snapshot's asynchronous part ({@link SnapshotWriter#defer}) waits for it, so the
 * checkpoint is acknowledged only once what was written before the barrier is pre-committed. The end
 * of input likewise runs there: the task asks {@link #endInputDone} until it has.
 */
public final class SinkOperator<T> implements Operator<T, Void> {
    /** Records waiting on a writer thread before the task must stop handing more over ({@link #hasRoomFor}). */
    static final int MAX_QUEUED = 1024;

    private final Sink<T> sink;
    /** The writer's own thread, or null: its calls run on the task's thread. */
    private final String writerThreadName;
    private SinkWriterThread writerThread;
    private SinkWriter<T> writer;
    private TransactionalSinkWriter<T, Object> transactional;
    /** Pre-commits of checkpoints not yet committed, by checkpoint id (done at once without a writer thread). */
    private final TreeMap<Long, CompletableFuture<Object>> pending = new TreeMap<>();
    private CompletableFuture<Void> ended;
    /** The latest commit handed to the writer thread, or null. */
    private CompletableFuture<Object> lastCommit;
    private int subtask;
    private int parallelism;

    public SinkOperator(Sink<T> sink) {
        this(sink, null);
    }

    private SinkOperator(Sink<T> sink, String writerThreadName) {
        this.sink = sink;
        this.writerThreadName = writerThreadName;
    }

    /** A sink operator whose writer runs on a thread of its own, named {@code threadName}; see the class comment. */
    public static <T> SinkOperator<T> onWriterThread(Sink<T> sink, String threadName) {
        return new SinkOperator<>(sink, threadName);
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
        if (writerThreadName != null) {
            writerThread = new SinkWriterThread(writerThreadName);
        }
    }

    @Override
    public void processElement(T value, long timestamp) throws Exception {
        if (writerThread == null) {
            writer.write(value, timestamp);
        } else {
            writerThread.checkFailure();
            writerThread.write(() -> writer.write(value, timestamp));
        }
    }

    /**
     * Whether {@code records} more may be handed over now; always on the task's thread. On a writer
     * thread, false while too many wait (the task reads no more input until there is room); throws
     * the writer's failure.
     */
    public boolean hasRoomFor(int records) throws Exception {
        if (writerThread == null) {
            return true;
        }
        writerThread.checkFailure();
        int queued = writerThread.queued();
        return queued == 0 || queued + records <= MAX_QUEUED;
    }

    @Override
    public void processWatermark(long watermark) {}

    @Override
    public boolean isBlocking() {
        return writerThread == null && sink.isBlocking();
    }

    @Override
    public void snapshotState(SnapshotWriter snapshot) throws Exception {
        if (transactional == null) {
            return;
        }
        long checkpointId = snapshot.checkpointId();
        CompletableFuture<Object> preCommit;
        if (writerThread == null) {
            preCommit = CompletableFuture.completedFuture(transactional.preCommit(checkpointId));
        } else {
            writerThread.checkFailure();
            preCommit = writerThread.call(() -> transactional.preCommit(checkpointId));
        }
        pending.put(checkpointId, preCommit);
        // Copied: the deferred write runs after later calls changed the map.
        List<PreCommit> transactions = new ArrayList<>(pending.size());
        pending.forEach((id, tx) -> transactions.add(new PreCommit(id, tx)));
        if (preCommit.isDone()) {
            writeTransactions(transactions, snapshot.operatorState());
        } else {
            // Off the task's thread: waits for the pre-commit (the writer's calls run in order, so the
            // earlier ones are done by then).
            snapshot.defer(w -> writeTransactions(transactions, w.operatorState()));
        }
    }

    /** A checkpoint's pre-commit, in the snapshot. */
    private record PreCommit(long checkpointId, CompletableFuture<Object> transaction) {}

    private static void writeTransactions(List<PreCommit> transactions, DataOutput out) throws IOException {
        out.writeInt(transactions.size());
        for (PreCommit p : transactions) {
            out.writeLong(p.checkpointId());
            ValueCodec.write(preCommitted(p.checkpointId(), p.transaction()), out);
        }
    }

    private static Object preCommitted(long checkpointId, CompletableFuture<Object> preCommit) throws IOException {
        try {
            return preCommit.get();
        } catch (ExecutionException e) {
            throw new IOException("the sink's pre-commit for checkpoint " + checkpointId + " failed: " + e.getCause(),
                    e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for the sink's pre-commit for checkpoint " + checkpointId, e);
        }
    }

    @Override
    public void notifyCheckpointComplete(long checkpointId) throws Exception {
        if (transactional == null) {
            return;
        }
        Map<Long, CompletableFuture<Object>> done = pending.headMap(checkpointId, true);
        if (!done.isEmpty()) {
            List<CompletableFuture<Object>> preCommits = new ArrayList<>(done.values());
            done.clear();
            if (writerThread == null) {
                transactional.commit(values(preCommits));
            } else {
                writerThread.checkFailure();
                lastCommit = writerThread.call(() -> {
                    transactional.commit(values(preCommits));
                    return null;
                });
            }
        }
    }

    /** The pre-committed transactions; on the writer's thread, where the pre-commits ran before. */
    private static List<Object> values(List<CompletableFuture<Object>> preCommits) {
        List<Object> transactions = new ArrayList<>(preCommits.size());
        for (CompletableFuture<Object> f : preCommits) {
            transactions.add(f.join());
        }
        return transactions;
    }

    /**
     * True when no commit handed to the writer thread is still running (done, failed, or none); never
     * waits. A task that stops (a stop-with-savepoint) ends only after its commits, as when they ran
     * on the task's own thread.
     */
    public boolean commitsDone() {
        return lastCommit == null || lastCommit.isDone();
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

    /** On a writer thread this only starts the end of input: see {@link #endInputDone}. */
    @Override
    public void endInput() throws Exception {
        // Checkpoints in flight at the end were aborted; their data is committed with the rest.
        List<CompletableFuture<Object>> preCommits = new ArrayList<>(pending.values());
        pending.clear();
        if (writerThread == null) {
            finish(preCommits);
            ended = CompletableFuture.completedFuture(null);
        } else {
            writerThread.checkFailure();
            ended = writerThread.call(() -> {
                finish(preCommits);
                return null;
            });
        }
    }

    private void finish(List<CompletableFuture<Object>> preCommits) throws Exception {
        if (transactional != null && !preCommits.isEmpty()) {
            transactional.commit(values(preCommits));
        }
        writer.finish();
    }

    /**
     * True once the end of input is done (everything written is durable and visible); never waits.
     * Throws if it, or an earlier call on the writer, failed.
     */
    public boolean endInputDone() throws Exception {
        if (writerThread != null) {
            writerThread.checkFailure();
        }
        if (ended == null || !ended.isDone()) {
            return false;
        }
        ended.get(); // a failure was thrown above already
        return true;
    }

    /** On a writer thread, the writer closes there after what was handed over; this does not wait. */
    @Override
    public void close() throws Exception {
        if (writer == null) {
            return;
        }
        if (writerThread == null) {
            writer.close();
        } else {
            writerThread.close(writer::close);
        }
    }
}
