package io.tidemill.task;

import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.exchange.Barrier;
import io.tidemill.exchange.Batch;
import io.tidemill.exchange.Control;
import io.tidemill.watermark.Watermark;

/** A task reading from input channels: batches to the chain, watermarks through the input gate. */
public final class StreamTask extends TaskCore {
    /** Input items handled per call, so that tasks sharing a worker take turns. */
    private static final int ITEMS_PER_CALL = 8;

    private final InputGate gate;
    private final boolean alignBarriers;

    StreamTask(OperatorChain chain, InputGate gate, JobControl job, String name, CheckpointConfig.Mode mode) {
        super(chain, job, name);
        this.gate = gate;
        this.alignBarriers = mode != CheckpointConfig.Mode.AT_LEAST_ONCE;
    }

    @Override
    boolean work() throws Exception {
        boolean progress = false;
        Emitter input = chain.input();
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
                advance(gate.onEnd());
                if (gate.alignmentComplete()) {
                    takeSnapshot(gate.alignedCheckpoint(), gate.finishAlignment());
                }
                if (gate.allEnded()) {
                    chain.endInput();
                    ended = true;
                    break;
                }
            }
            if (!chain.drain()) {
                break;
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
