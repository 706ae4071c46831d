package io.tidemill.task;

import io.tidemill.api.source.SourceOutput;
import io.tidemill.api.source.SplitReader;
import io.tidemill.operator.OperatorException;
import io.tidemill.watermark.TimestampAssigner;
import io.tidemill.watermark.WatermarkGenerator;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the splits assigned to one source subtask, stamps records, and derives the watermark.
 *
 * <p>Each split has its own watermark generator; the task's watermark is the minimum over its splits
 * that are neither finished nor idle (no record for the idleness timeout). When all remaining splits
 * are idle the task says IDLE downstream; when all have finished it sends the final watermark and
 * END_OF_INPUT.
 */
public final class SourceTask<T> extends TaskCore implements SourceOutput<T> {
    private final List<Split<T>> splits;
    private final TimestampAssigner<T> assigner;
    private final long idleMillis;
    private final int batchSize;
    private final String sourceName;
    private final int subtask;
    private final int parallelism;
    private Split<T> current;
    private long emittedWatermark = Long.MIN_VALUE;
    private boolean idle;
    private long count;

    SourceTask(OperatorChain chain, List<SplitReader<T>> readers, WatermarkStrategy<T> strategy, int batchSize,
               JobControl job, String name, String sourceName, int subtask, int parallelism) {
        super(chain, job, name);
        this.assigner = strategy.timestampAssigner();
        this.idleMillis = strategy.idlenessMillis();
        this.batchSize = batchSize;
        this.sourceName = sourceName;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.splits = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (SplitReader<T> r : readers) {
            splits.add(new Split<>(r, strategy.createGenerator(), now));
        }
    }

    @Override
    boolean work() throws Exception {
        boolean progress = false;
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
                s.reader.close();
                splits.remove(i--);
                progress = true;
            }
            if (!chain.drain()) {
                break;
            }
        }
        current = null;
        if (count > before) {
            job.countRecordsIn(count - before);
            chain.finishBatch();
        }
        if (splits.isEmpty()) {
            chain.input().emitWatermark(Long.MAX_VALUE);
            chain.endInput();
            ended = true;
            return true;
        }
        emitWatermark();
        return progress;
    }

    private void emitWatermark() {
        long now = idleMillis > 0 ? System.currentTimeMillis() : 0;
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

    @Override
    Exception closeResources() {
        Exception first = null;
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
    public void collect(T value, long timestamp) {
        long ts = timestamp;
        if (assigner != null) {
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
        final SplitReader<T> reader;
        final WatermarkGenerator generator;
        long lastActivity;

        Split(SplitReader<T> reader, WatermarkGenerator generator, long now) {
            this.reader = reader;
            this.generator = generator;
            this.lastActivity = now;
        }
    }
}
