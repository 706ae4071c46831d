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

/**
 * A task reading from input channels ({@link InputGate}): batches to the chain; watermarks and
 * barriers through the gate's parts.
 */
public final class StreamTask extends TaskCore {
    /** Input items handled per call, so that tasks sharing a worker take turns. */
    private static final int ITEMS_PER_CALL = 64;

    private final InputGate gate;
    private final WatermarkValve valve;
    private final BarrierAligner aligner;
    private final ChannelStateRecorder recorder;
    private final boolean alignBarriers;
    private final boolean unaligned;
    private final String channelStateId;
    private Map<String, OperatorSnapshot> unalignedSnapshot;
    private long unalignedSyncNanos;

    StreamTask(OperatorChain chain, InputGate gate, JobControl job, String name, CheckpointConfig.Mode mode,
               String channelStateId) {
        super(chain, job, name);
        this.gate = gate;
        this.valve = gate.valve;
        this.aligner = gate.aligner;
        this.recorder = gate.recorder;
        this.alignBarriers = mode == CheckpointConfig.Mode.EXACTLY_ONCE;
        this.unaligned = mode == CheckpointConfig.Mode.UNALIGNED;
        this.channelStateId = channelStateId;
        recorder.setUnaligned(unaligned);
    }

    /**
     * Unaligned checkpoints: the first priority barrier of a checkpoint snapshots the operators at
     * once and sends the barrier downstream ahead of the output queues; the in-flight records before
     * each input's barrier are then recorded (see {@link ChannelStateRecorder}) and the snapshot is acknowledged
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
            if (b.checkpointId() > recorder.checkpoint()) {
                long start = System.nanoTime();
                if (unalignedSnapshot != null) {
                    TaskSnapshot.discard(unalignedSnapshot); // a newer checkpoint overtook it
                }
                unalignedSnapshot = snapshotOperators(b.checkpointId());
                unalignedSyncNanos = System.nanoTime() - start;
                chain.emitPriorityBarrier(b.checkpointId());
                recorder.start(b.checkpointId());
            }
            if (b.checkpointId() == recorder.checkpoint()) {
                recorder.onBarrier(gate.lastPriorityChannel(), b);
            }
        }
        if (recorder.isRecording() && recorder.advance()) {
            long start = System.nanoTime();
            Map<String, OperatorSnapshot> ops = unalignedSnapshot;
            ops.put(channelStateId, recorder.finish());
            job.snapshotTaken(recorder.checkpoint(), index, ops, unalignedSyncNanos + System.nanoTime() - start,
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
                valve.onRecords(gate.lastChannel());
                Object[] values = b.values;
                long[] timestamps = b.timestamps;
                for (int i = 0, size = b.size; i < size; i++) {
                    input.emit(values[i], timestamps[i]);
                }
                countRecordsIn(b.size);
                chain.finishBatch();
                fireDueProcessingTime(); // between batches, as Flink's mailbox runs due timers between records
            } else if (item instanceof Watermark w) {
                advance(valve.onWatermark(gate.lastChannel(), w.timestamp()));
            } else if (item == Control.IDLE) {
                advance(valve.onIdle(gate.lastChannel()));
                if (valve.becameIdle()) {
                    chain.emitIdle();
                }
            } else if (item instanceof Barrier b) {
                if (aligner.onBarrier(gate.lastChannel(), b.checkpointId(), alignBarriers)) {
                    takeSnapshot(b.checkpointId(), aligner.finish());
                }
            } else if (item == Control.END_OF_INPUT) {
                long watermark = gate.onEnd();
                // The snapshot first: the watermark may start a firing that pauses (a consistent
                // cut either way, as the fired records then follow the barrier).
                if (aligner.isComplete()) {
                    takeSnapshot(aligner.checkpoint(), aligner.finish());
                }
                advance(watermark);
                if (valve.allEnded()) {
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
            reportWatermark(watermark);
        }
    }
}
