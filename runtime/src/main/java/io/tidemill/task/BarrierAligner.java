package io.tidemill.task;

import java.util.Arrays;

/**
 * Barrier alignment over a task's input channels (aligned checkpoints).
 *
 * <p>Invariants: one checkpoint aligns at a time, the newest whose barrier arrived; a barrier of an
 * older one is ignored, and a newer one abandons the alignment in progress (that checkpoint was
 * aborted). Each channel delivers the barrier once per alignment. With blocking (exactly-once), a
 * channel that delivered the barrier stays blocked until the alignment finishes, so no record after
 * the barrier is processed before the snapshot; without (at-least-once) records keep flowing. The
 * alignment is complete when every channel that has not ended delivered the barrier; a channel that
 * ends meanwhile no longer holds it up.
 */
final class BarrierAligner {
    /** Channels held back while barriers align: their records wait until the checkpoint is taken. */
    private final boolean[] blocked;
    private final boolean[] barrierSeen;
    private final boolean[] ended;
    private int barriersSeen;
    private long checkpoint = Long.MIN_VALUE;
    private long alignStart;

    BarrierAligner(int channels) {
        blocked = new boolean[channels];
        barrierSeen = new boolean[channels];
        ended = new boolean[channels];
    }

    /**
     * Barrier {@code id} arrived on channel {@code c}. Returns true when it has now arrived on every
     * channel that has not ended (the snapshot is due); with {@code block}, the channel is held back
     * until then.
     */
    boolean onBarrier(int c, long id, boolean block) {
        if (id < checkpoint) {
            return false;
        }
        if (id > checkpoint) {
            Arrays.fill(blocked, false);
            checkpoint = id;
            barriersSeen = 0;
            Arrays.fill(barrierSeen, false);
            alignStart = System.nanoTime();
        }
        if (!barrierSeen[c]) {
            barrierSeen[c] = true;
            barriersSeen++;
            blocked[c] = block;
        }
        return isComplete();
    }

    /** Channel {@code c} ended: an alignment no longer waits for it (see {@link #isComplete}). */
    void onEnd(int c) {
        ended[c] = true;
    }

    /** True when an alignment is in progress and every live channel has delivered the barrier. */
    boolean isComplete() {
        if (barriersSeen == 0) {
            return false;
        }
        for (int c = 0; c < ended.length; c++) {
            if (!ended[c] && !barrierSeen[c]) {
                return false;
            }
        }
        return true;
    }

    /** Ends the alignment: every channel flows again. Returns the time spent aligning. */
    long finish() {
        Arrays.fill(blocked, false);
        barriersSeen = 0;
        Arrays.fill(barrierSeen, false);
        return System.nanoTime() - alignStart;
    }

    /** The checkpoint aligning or last aligned. */
    long checkpoint() {
        return checkpoint;
    }

    boolean isBlocked(int c) {
        return blocked[c];
    }
}
