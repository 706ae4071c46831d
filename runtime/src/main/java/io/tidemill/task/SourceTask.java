package io.tidemill.task;

import io.tidemill.api.source.DeadLetter;
import io.tidemill.api.source.Source;
import io.tidemill.api.source.SplitDiscovery;
import io.tidemill.api.source.SourceOutput;
import io.tidemill.api.source.SourceSplit;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.api.source.SplitReader;
import io.tidemill.operator.OperatorException;
import io.tidemill.operator.SinkOperator;
import io.tidemill.graph.WatermarkUse;
import io.tidemill.watermark.TimestampAssigner;
import io.tidemill.watermark.WatermarkGenerator;
import io.tidemill.watermark.WatermarkOutput;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads the splits assigned to one source subtask, stamps records, and derives the watermark.
 *
 * <p>Each split has its own watermark generator; the task's watermark is the minimum over its splits
 * that are neither finished nor idle (no record for the idleness timeout, or marked idle by its
 * generator). It is recomputed after each step, after the generators' periodic emit: a watermark a
 * generator emits in {@code onEvent} (punctuated) goes out after the batch that record was read in,
 * never inside a reader's call, where a firing it starts could not pause. When all remaining splits
 * are idle the task says IDLE downstream; when all have finished it sends the final watermark and
 * END_OF_INPUT (a bounded source only: a subtask of an unbounded one without splits stays idle).
 *
 * <p>Watermark alignment: with an alignment group, the task publishes its watermark to the group
 * (the maximum when it has no active split) and does not read a split whose watermark is more than
 * the group's max drift ahead of the group's slowest, looked up every update interval. A paused split
 * counts as active, so it keeps holding back this task's watermark.
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
 * A dead-letter sink that may block and can be written asynchronously ({@link
 * io.tidemill.api.sink.Sink#canWriteAsynchronously()}, Kafka) runs on a writer thread of its own
 * (TaskBuilder): the task hands letters over, reads no split while too many wait, and waits for the
 * writer's end over several calls, taking no barrier meanwhile (the end commits everything).
 *
 * <p>A source whose input grows (Kafka partitions added) has a {@link SplitDiscovery}: a split it
 * finds is taken by the one subtask its id hashes to, read from offset 0, and is part of the next
 * snapshot. Such a task never ends for want of splits. When a checkpoint completes, each reader
 * hears the offset that checkpoint recorded for it (Kafka commits it to the consumer group).
 */
public final class SourceTask<T> extends TaskCore implements SourceOutput<T> {
    /** A split of this subtask, and where to resume it ({@code ended}: nothing left to read). */
    record AssignedSplit<T>(SourceSplit split, SplitReader<T> reader, long offset, boolean ended) {}

    private final List<Split> splits;
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
    private Split current;
    /** The source's alignment group on this node, or null; see the class comment. */
    private final WatermarkAlignment.Member alignment;
    private final long maxDrift;
    private final long alignmentInterval;
    /** Splits whose watermark is above this are paused; refreshed from the group every interval. */
    private long maxAllowedWatermark = Long.MAX_VALUE;
    private long nextAlignmentUpdate = Long.MIN_VALUE;
    private long emittedWatermark = Long.MIN_VALUE;
    private long reportedWatermark = Long.MIN_VALUE;
    /** The grids of the operators downstream, which the watermark is rounded down to; empty: none. */
    private List<WatermarkUse> watermarkGrids = List.of();
    private boolean idle;
    private long count;
    /** The source's dead-letter sink of this subtask, or null; its state is saved as {@code deadLetterId}. */
    private final SinkOperator<DeadLetter> deadLetters;
    private final String deadLetterId;
    /** The dead-letter writer's end of input was started (it may finish on its own thread). */
    private boolean endingDeadLetters;
    private final Source<T> source;
    private final WatermarkStrategy<T> strategy;
    /** New splits of a growing source, or null. */
    private final SplitDiscovery discovery;
    /** Offsets each recorded checkpoint not yet completed saw, by checkpoint id. */
    private final TreeMap<Long, List<RecordedOffset<T>>> recorded = new TreeMap<>();

    /** The offset a checkpoint recorded for one reader. */
    private record RecordedOffset<T>(SplitReader<T> reader, long offset) {}

    SourceTask(OperatorChain chain, List<AssignedSplit<T>> assigned, WatermarkStrategy<T> strategy, int batchSize,
               JobControl job, String name, String sourceId, String sourceName, int subtask, int parallelism,
               SinkOperator<DeadLetter> deadLetters, String deadLetterId, Source<T> source,
               SplitDiscovery discovery, WatermarkAlignment.Member alignment) {
        super(chain, job, name);
        this.source = source;
        this.strategy = strategy;
        this.discovery = discovery;
        this.alignment = alignment;
        this.maxDrift = strategy.alignment() == null ? 0 : strategy.alignment().maxDriftMillis();
        this.alignmentInterval = strategy.alignment() == null ? 0 : strategy.alignment().updateIntervalMillis();
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
                splits.add(new Split(a.split(), a.reader(), strategy.createGenerator()));
            }
        }
    }

    @Override
    boolean priorityWork() throws Exception {
        long barrier = barrierToInject;
        if (!unaligned || barrier <= lastInjected || chain.hasPendingOutput() || endingDeadLetters) {
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
        List<RecordedOffset<T>> offsets = new ArrayList<>(splits.size());
        for (Split sp : splits) {
            long offset = sp.reader.offset();
            states.add(new SplitStates.SplitState(sp.split, offset, false));
            offsets.add(new RecordedOffset<>(sp.reader, offset));
        }
        recorded.put(checkpointId, offsets);
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
        Map.Entry<Long, List<RecordedOffset<T>>> latest = recorded.floorEntry(checkpointId);
        if (latest != null) {
            for (RecordedOffset<T> r : latest.getValue()) {
                r.reader().notifyCheckpointComplete(r.offset());
            }
            recorded.headMap(checkpointId, true).clear();
        }
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
        } else if (barrier > lastInjected && !endingDeadLetters) {
            lastInjected = barrier;
            takeSnapshot(barrier, 0);
            progress = true;
        }
        if (discovery != null) {
            progress |= takeNewSplits();
        }
        long before = count;
        if (alignment != null) {
            refreshAlignment();
        }
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            if (s.watermark > maxAllowedWatermark) {
                s.lastActivity = -1; // paused, not idle: it still holds back this task's watermark
                continue;
            }
            if (!deadLettersHaveRoom()) {
                break; // the dead-letter writer is behind: reading on could hand it more than it may hold
            }
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
            countRecordsIn(count - before);
            chain.finishBatch();
        }
        // An unbounded source's subtask without splits (a topic with fewer partitions than subtasks)
        // stays, idle, as Flink's readers of an unbounded source do: a finished source subtask would
        // stop the job's checkpoints for good.
        if (splits.isEmpty() && discovery == null && source.isBounded()) {
            if (alignment != null) {
                alignment.publish(Long.MAX_VALUE); // a finished source holds nobody back
            }
            if (!finishDeadLetters()) {
                return progress;
            }
            job.sourceEnded();
            chain.input().emitWatermark(Long.MAX_VALUE);
            stats.pendingRecords(0);
            endInput();
            return true;
        }
        long pending = -1; // the source lag, where the readers can tell
        for (int i = 0; i < splits.size(); i++) {
            Split s = splits.get(i);
            s.generator.onPeriodicEmit(s);
            long p = s.reader.pendingRecords();
            if (p >= 0) {
                pending = Math.max(pending, 0) + p;
            }
        }
        stats.pendingRecords(pending);
        emitWatermark();
        return progress;
    }

    /**
     * Sends only the watermarks the operators downstream act on: {@code grids} are theirs (see
     * {@link WatermarkUse}), empty if one of them may act on any watermark.
     */
    void throttleWatermarks(List<WatermarkUse> grids) {
        this.watermarkGrids = List.copyOf(grids);
    }

    /** Starts reading the new splits that hash to this subtask. */
    private boolean takeNewSplits() throws Exception {
        List<SourceSplit> found;
        try {
            found = discovery.poll();
        } catch (Exception e) {
            throw new OperatorException(sourceName + " (split discovery)", subtask, parallelism, e);
        }
        boolean taken = false;
        for (SourceSplit split : found) {
            if (Math.floorMod(split.splitId().hashCode(), parallelism) == subtask) {
                splits.add(new Split(split, source.createReader(split, 0), strategy.createGenerator()));
                taken = true;
            }
        }
        return taken;
    }

    /** Looks up the group's slowest watermark again when the update interval has passed. */
    private void refreshAlignment() {
        long now = clock.now();
        if (now < nextAlignmentUpdate) {
            return;
        }
        nextAlignmentUpdate = now + alignmentInterval;
        long slowest = alignment.group().slowest();
        maxAllowedWatermark = slowest > Long.MAX_VALUE - maxDrift ? Long.MAX_VALUE : slowest + maxDrift;
    }

    private void emitWatermark() {
        long now = idleMillis > 0 ? clock.now() : 0;
        long min = Long.MAX_VALUE;
        boolean anyActive = false;
        for (Split s : splits) {
            if (s.lastActivity < 0) {
                s.lastActivity = now;
            } else if (idleMillis > 0 && now - s.lastActivity >= idleMillis) {
                continue;
            }
            if (s.markedIdle) {
                continue;
            }
            anyActive = true;
            min = Math.min(min, s.watermark);
        }
        if (alignment != null) {
            alignment.publish(anyActive ? min : Long.MAX_VALUE);
        }
        if (!anyActive) {
            if (!idle) {
                idle = true;
                chain.emitIdle();
            }
            return;
        }
        if (min > reportedWatermark) {
            // Metrics and the progress line show the source's own watermark, not the rounded one.
            reportedWatermark = min;
            reportWatermark(min);
        }
        long sent = WatermarkUse.floor(min, watermarkGrids);
        if (sent > emittedWatermark || (idle && sent == emittedWatermark)) {
            emittedWatermark = Math.max(sent, emittedWatermark);
            idle = false;
            chain.input().emitWatermark(emittedWatermark);
        }
    }

    @Override
    boolean commitsDone() {
        return deadLetters == null || deadLetters.commitsDone();
    }

    /** Room for a whole batch's dead letters (each record read may be one). */
    private boolean deadLettersHaveRoom() {
        try {
            return deadLetters == null || deadLetters.hasRoomFor(batchSize);
        } catch (Exception e) {
            throw new OperatorException(sourceName + " (dead letters)", subtask, parallelism, e);
        }
    }

    /** Ends the dead-letter writer; true once it has ended (on a writer thread, that takes several calls). */
    private boolean finishDeadLetters() {
        if (deadLetters == null) {
            return true;
        }
        try {
            if (!endingDeadLetters) {
                endingDeadLetters = true;
                deadLetters.endInput();
            }
            if (!deadLetters.endInputDone()) {
                return false;
            }
            deadLetters.close();
            return true;
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
        for (Split s : splits) {
            try {
                s.reader.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        splits.clear();
        if (discovery != null) {
            try {
                discovery.close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
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
            stats.deadLettersCount++;
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
            // Before the record goes down the chain: what the generator emits goes out after the step.
            current.generator.onEvent(value, ts, current);
        }
        count++;
        chain.input().emit(value, ts);
    }

    /**
     * A split being read, with its watermark generator, the watermark that generator emitted, and its
     * last activity (-1: active just now). It is its generator's output.
     */
    private final class Split implements WatermarkOutput {
        final SourceSplit split;
        final SplitReader<T> reader;
        final WatermarkGenerator<T> generator;
        long lastActivity;
        long watermark = Long.MIN_VALUE;
        /** Marked idle by its generator (not by the idleness timeout). */
        boolean markedIdle;

        Split(SourceSplit split, SplitReader<T> reader, WatermarkGenerator<T> generator) {
            this.split = split;
            this.reader = reader;
            this.generator = generator;
            this.lastActivity = -1; // the idleness timeout starts at the first watermark step
        }

        @Override
        public void emitWatermark(long timestamp) {
            watermark = Math.max(watermark, timestamp);
            markedIdle = false;
        }

        @Override
        public void markIdle() {
            markedIdle = true;
        }

        @Override
        public void markActive() {
            markedIdle = false;
        }
    }
}
