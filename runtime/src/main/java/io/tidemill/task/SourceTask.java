package io.tidemill.task;

import io.tidemill.api.source.DeadLetter;
import io.tidemill.api.source.SourceOutput;
import io.tidemill.api.source.SourceSplit;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.api.source.SplitReader;
import io.tidemill.operator.OperatorException;
import io.tidemill.operator.SinkOperator;
import io.tidemill.watermark.TimestampAssigner;
import io.tidemill.watermark.WatermarkGenerator;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the splits assigned to one source subtask, stamps records, and derives the watermark.
 *
 * <p>Each split has its own watermark generator; the task's watermark is the minimum over its splits
 * that are neither finished nor idle (no record for the idleness timeout). When all remaining splits
 * are idle the task says IDLE downstream; when all have finished it sends the final watermark and
 * END_OF_INPUT.
 *
 * <p>Checkpoints start here: when the coordinator asks for barrier {@code n}, the task records every
 * split's offset (the position after the last record emitted) between two reads, snapshots its
 * chain, and sends the barrier downstream, so the barrier separates exactly the records before the
 * recorded offsets from those after.
 *
 * <p>The source's dead letters go to a sink writer of this task, snapshotted at the same barrier
 * (a transactional writer pre-commits then), so the dead letters of the input before the recorded
 * offsets are exactly those of the checkpoint. The writer finishes before END_OF_INPUT goes
 * downstream: a dead-letter file that cannot be completed fails the job before its output commits.
 */
public final class SourceTask<T> extends TaskCore implements SourceOutput<T> {
    /** A split of this subtask, and where to resume it ({@code ended}: nothing left to read). */
    record AssignedSplit<T>(SourceSplit split, SplitReader<T> reader, long offset, boolean ended) {}

    private final List<Split<T>> splits;
    private final List<SourceSplit> finished = new ArrayList<>();
    private final String sourceId;
    private volatile long barrierToInject = Long.MIN_VALUE;
    private boolean unaligned;
    private long lastInjected = Long.MIN_VALUE;
    private final TimestampAssigner<T> assigner;
    private final long idleMillis;
    /** Records are stamped with processing time ({@code WatermarkStrategy.processingTime()}). */
    private final boolean processingTime;
    private final int batchSize;
    private final String sourceName;
    private Split<T> current;
    private long emittedWatermark = Long.MIN_VALUE;
    private boolean idle;
    private long count;
    /** The source's dead-letter sink of this subtask, or null; its state is saved as {@code deadLetterId}. */
    private final SinkOperator<DeadLetter> deadLetters;
    private final String deadLetterId;

    SourceTask(OperatorChain chain, List<AssignedSplit<T>> assigned, WatermarkStrategy<T> strategy, int batchSize,
               JobControl job, String name, String sourceId, String sourceName, int subtask, int parallelism,
               SinkOperator<DeadLetter> deadLetters, String deadLetterId) {
        super(chain, job, name);
        this.deadLetters = deadLetters;
        this.deadLetterId = deadLetterId;
        this.sourceId = sourceId;
        this.assigner = strategy.timestampAssigner();
        this.idleMillis = strategy.idlenessMillis();
        this.batchSize = batchSize;
        this.sourceName = sourceName;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.splits = new ArrayList<>();
        this.processingTime = strategy.isProcessingTime();
        for (AssignedSplit<T> a : assigned) {
            if (a.ended()) {
                finished.add(a.split());
            } else {
                splits.add(new Split<>(a.split(), a.reader(), strategy.createGenerator()));
            }
        }
    }

    @Override
    boolean priorityWork() throws Exception {
        long barrier = barrierToInject;
        if (!unaligned || barrier <= lastInjected || chain.hasPendingOutput()) {
            return false; // a paused firing is not a state to snapshot: after it, then
        }
        lastInjected = barrier;
        takeSnapshot(barrier, 0, true);
        return true;
    }

    /** Unaligned checkpoints: barriers overtake the task's output queues. */
    void setUnaligned(boolean unaligned) {
        this.unaligned = unaligned;
    }

    /** Asks the task to inject barrier {@code checkpointId} at its next step; any thread. */
    public void injectBarrier(long checkpointId) {
        barrierToInject = checkpointId;
    }

    @Override
    java.util.List<String> operatorIdsOfTask() {
        List<String> ids = new ArrayList<>();
        ids.add(sourceId);
        if (deadLetters != null) {
            ids.add(deadLetterId);
        }
        ids.addAll(super.operatorIdsOfTask());
        return ids;
    }

    /** Operator state of the source: {@code n, (split, offset, ended)*} for every split it was given. */
    @Override
    void snapshotOwnState(long checkpointId, Map<String, OperatorSnapshot> into) throws Exception {
        OperatorSnapshot s = new OperatorSnapshot(checkpointId);
        List<SplitStates.SplitState> states = new ArrayList<>(splits.size() + finished.size());
        for (Split<T> sp : splits) {
            states.add(new SplitStates.SplitState(sp.split, sp.reader.offset(), false));
        }
        for (SourceSplit sp : finished) {
            states.add(new SplitStates.SplitState(sp, 0, true));
        }
        SplitStates.write(states, s.operatorState());
        into.put(sourceId, s);
        if (deadLetters != null) {
            OperatorSnapshot d = new OperatorSnapshot(checkpointId);
            deadLetters.snapshotState(d);
            into.put(deadLetterId, d);
        }
    }

    @Override
    void notifyOwnCheckpointComplete(long checkpointId) throws Exception {
        if (deadLetters != null) {
            deadLetters.notifyCheckpointComplete(checkpointId);
        }
    }

    @Override
    boolean work() throws Exception {
        boolean progress = false;
        long barrier = barrierToInject;
        if (unaligned) {
            progress = priorityWork();
        } else if (barrier > lastInjected) {
            lastInjected = barrier;
            takeSnapshot(barrier, 0);
            progress = true;
        }
        long before = count;
        for (int i = 0; i < splits.size(); i++) {
            Split<T> s = splits.get(i);
            current = s;
            long n = count;
            SplitReader.Status status;
            try {
                status = s.reader.read(this, batchSize);
            } catch (OperatorException e) {
                throw e;
            } catch (Exception e) {
                throw new OperatorException(sourceName, subtask, parallelism, e);
            }
            if (count > n) {
                s.lastActivity = -1;
                progress = true;
            }
            if (status == SplitReader.Status.END) {
                finished.add(s.split);
                s.reader.close();
                splits.remove(i--);
                progress = true;
            }
            if (!chain.drain() || chain.hasPendingOutput()) {
                break;
            }
        }
        current = null;
        if (count > before) {
            job.countRecordsIn(count - before);
            recordsIn += count - before;
            chain.finishBatch();
        }
        if (splits.isEmpty()) {
            finishDeadLetters();
            job.sourceEnded();
            chain.input().emitWatermark(Long.MAX_VALUE);
            endInput();
            return true;
        }
        emitWatermark();
        return progress;
    }

    private void emitWatermark() {
        long now = idleMillis > 0 ? clock.now() : 0;
        long min = Long.MAX_VALUE;
        boolean anyActive = false;
        for (Split<T> s : splits) {
            if (s.lastActivity < 0) {
                s.lastActivity = now;
            } else if (idleMillis > 0 && now - s.lastActivity >= idleMillis) {
                continue;
            }
            anyActive = true;
            min = Math.min(min, s.generator.currentWatermark());
        }
        if (!anyActive) {
            if (!idle) {
                idle = true;
                chain.emitIdle();
            }
            return;
        }
        if (min > emittedWatermark || (idle && min == emittedWatermark)) {
            emittedWatermark = Math.max(min, emittedWatermark);
            idle = false;
            chain.input().emitWatermark(emittedWatermark);
            job.reportWatermark(index, emittedWatermark);
        }
    }

    private void finishDeadLetters() {
        if (deadLetters == null) {
            return;
        }
        try {
            deadLetters.endInput();
            deadLetters.close();
        } catch (Exception e) {
            throw new OperatorException(sourceName + " (dead letters)", subtask, parallelism, e);
        }
    }

    @Override
    Exception closeResources() {
        Exception first = null;
        if (deadLetters != null) {
            try {
                deadLetters.close();
            } catch (Exception e) {
                first = e;
            }
        }
        for (Split<T> s : splits) {
            try {
                s.reader.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        splits.clear();
        return first;
    }

    @Override
    public void collect(T value) {
        collect(value, TimestampAssigner.NO_TIMESTAMP);
    }

    @Override
    public void deadLetter(DeadLetter letter) {
        if (deadLetters == null) {
            SourceOutput.super.deadLetter(letter);
            return;
        }
        try {
            deadLetters.processElement(letter, TimestampAssigner.NO_TIMESTAMP);
        } catch (Exception e) {
            throw new OperatorException(sourceName + " (dead letters)", subtask, parallelism, e);
        }
    }

    @Override
    public void collect(T value, long timestamp) {
        long ts = timestamp;
        if (processingTime) {
            ts = clock.now();
        } else if (assigner != null) {
            try {
                ts = assigner.extractTimestamp(value, timestamp);
            } catch (RuntimeException e) {
                throw new OperatorException(sourceName + " (timestamp assigner)", subtask, parallelism, e);
            }
        }
        if (ts != TimestampAssigner.NO_TIMESTAMP) {
            current.generator.onEvent(ts);
        }
        count++;
        chain.input().emit(value, ts);
    }

    /** A split being read, with its watermark generator and last activity (-1: active just now). */
    private static final class Split<T> {
        final SourceSplit split;
        final SplitReader<T> reader;
        final WatermarkGenerator generator;
        long lastActivity;

        Split(SourceSplit split, SplitReader<T> reader, WatermarkGenerator generator) {
            this.split = split;
            this.reader = reader;
            this.generator = generator;
            this.lastActivity = -1; // the idleness timeout starts at the first watermark step
        }
    }
}
