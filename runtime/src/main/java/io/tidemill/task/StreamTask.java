package io.tidemill.task;

import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.exchange.Barrier;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.TaskSnapshot;
import io.tidemill.exchange.Batch;
import io.tidemill.exchange.PriorityBarrier;
import java.util.Map;
import io.tidemill.exchange.Control;
import io.tidemill.watermark.Watermark;

/** A task reading from input channels: batches to the chain, watermarks through the input gate. */
public final class StreamTask extends TaskCore {
    /** Input items handled per call, so that tasks sharing a worker take turns. */
    private static final int ITEMS_PER_CALL = 8;

    private final InputGate gate;
    private final boolean alignBarriers;
    private final boolean unaligned;
    private final String channelStateId;
    private Map<String, OperatorSnapshot> unalignedSnapshot;
    private long unalignedSyncNanos;

    StreamTask(OperatorChain chain, InputGate gate, JobControl job, String name, CheckpointConfig.Mode mode,
               String channelStateId) {
        super(chain, job, name);
        this.gate = gate;
        this.alignBarriers = mode == CheckpointConfig.Mode.EXACTLY_ONCE;
        this.unaligned = mode == CheckpointConfig.Mode.UNALIGNED;
        this.channelStateId = channelStateId;
        gate.setUnaligned(unaligned);
    }

    /**
     * Unaligned checkpoints: the first priority barrier of a checkpoint snapshots the operators at
     * once and sends the barrier downstream ahead of the output queues; the in-flight records before
     * each input's barrier are then recorded (see {@link InputGate}) and the snapshot is acknowledged
     * when the recording is complete.
     */
    @Override
    boolean priorityWork() throws Exception {
        if (!unaligned) {
            return false;
        }
        boolean progress = false;
        PriorityBarrier b;
        // a paused firing is not a state to snapshot: the barrier waits until it is complete
        while (!chain.hasPendingOutput() && (b = gate.pollPriority()) != null) {
            progress = true;
            if (b.checkpointId() > gate.unalignedCheckpoint()) {
                long start = System.nanoTime();
                if (unalignedSnapshot != null) {
                    TaskSnapshot.discard(unalignedSnapshot); // a newer checkpoint overtook it
                }
                unalignedSnapshot = snapshotOperators(b.checkpointId());
                unalignedSyncNanos = System.nanoTime() - start;
                chain.emitPriorityBarrier(b.checkpointId());
                gate.startRecording(b.checkpointId());
            }
            if (b.checkpointId() == gate.unalignedCheckpoint()) {
                gate.onPriorityBarrier(b);
            }
        }
        if (gate.isRecording() && gate.advanceRecording()) {
            long start = System.nanoTime();
            Map<String, OperatorSnapshot> ops = unalignedSnapshot;
            ops.put(channelStateId, gate.finishRecording());
            job.snapshotTaken(gate.unalignedCheckpoint(), index, ops, unalignedSyncNanos + System.nanoTime() - start,
                    0);
            unalignedSnapshot = null;
            progress = true;
        }
        return progress;
    }

    @Override
    boolean work() throws Exception {
        Emitter input = chain.input();
        boolean progress = priorityWork();
        for (int n = 0; n < ITEMS_PER_CALL; n++) {
            Object item = gate.poll();
            if (item == null) {
                break;
            }
            progress = true;
            if (item instanceof Batch b) {
                gate.onRecords();
                Object[] values = b.values;
                long[] timestamps = b.timestamps;
                for (int i = 0, size = b.size; i < size; i++) {
                    input.emit(values[i], timestamps[i]);
                }
                chain.finishBatch();
            } else if (item instanceof Watermark w) {
                advance(gate.onWatermark(w.timestamp()));
            } else if (item == Control.IDLE) {
                advance(gate.onIdle());
                if (gate.becameIdle()) {
                    chain.emitIdle();
                }
            } else if (item instanceof Barrier b) {
                if (gate.onBarrier(b.checkpointId(), alignBarriers)) {
                    takeSnapshot(b.checkpointId(), gate.finishAlignment());
                }
            } else if (item == Control.END_OF_INPUT) {
                long watermark = gate.onEnd();
                // The snapshot first: the watermark may start a firing that pauses (a consistent
                // cut either way, as the fired records then follow the barrier).
                if (gate.alignmentComplete()) {
                    takeSnapshot(gate.alignedCheckpoint(), gate.finishAlignment());
                }
                advance(watermark);
                if (gate.allEnded()) {
                    endInput();
                    break;
                }
            }
            if (!chain.drain() || chain.hasPendingOutput()) {
                break;
            }
            if (unaligned && priorityWork()) {
                progress = true;
            }
        }
        return progress;
    }

    private void advance(long watermark) {
        if (watermark != Long.MIN_VALUE) {
            chain.input().emitWatermark(watermark);
            job.reportWatermark(index, watermark);
        }
    }
}
