package io.tidemill.task;

import io.tidemill.exchange.Channel;

/**
 * The input channels of a task and their event-time progress.
 *
 * <p>Invariants: the task's watermark is the minimum of the watermarks of its channels that are
 * neither idle nor ended, and it never goes backwards. A channel becomes idle on an IDLE event and
 * active again on its next batch or watermark. When every channel that has not ended is idle, the
 * task is idle and says so downstream (once), so idle inputs do not hold windows back forever.
 */
final class InputGate {
    private final Channel[] channels;
    private final long[] watermarks;
    private final boolean[] idle;
    private final boolean[] ended;
    /** Channels held back while barriers align: their records wait until the checkpoint is taken. */
    private final boolean[] blocked;
    private final boolean[] barrierSeen;
    private int barriersSeen;
    private long alignedCheckpoint = Long.MIN_VALUE;
    private long alignStart;
    private int endedCount;
    private int next;
    private int lastChannel;
    private long watermark = Long.MIN_VALUE;
    private boolean allIdle;

    InputGate(Channel[] channels) {
        this.channels = channels;
        this.watermarks = new long[channels.length];
        this.idle = new boolean[channels.length];
        this.ended = new boolean[channels.length];
        this.blocked = new boolean[channels.length];
        this.barrierSeen = new boolean[channels.length];
        java.util.Arrays.fill(watermarks, Long.MIN_VALUE);
    }

    /** The next item of any channel, round robin; null when all are empty. */
    Object poll() {
        int n = channels.length;
        for (int i = 0; i < n; i++) {
            int c = next;
            if (++next == n) {
                next = 0;
            }
            if (!ended[c] && !blocked[c]) {
                Object item = channels[c].poll();
                if (item != null) {
                    lastChannel = c;
                    return item;
                }
            }
        }
        return null;
    }

    /** A batch arrived on the last polled channel. */
    void onRecords() {
        if (idle[lastChannel]) {
            idle[lastChannel] = false;
            allIdle = false;
        }
    }

    /** Returns the new task watermark, or {@code Long.MIN_VALUE} if it did not advance. */
    long onWatermark(long wm) {
        int c = lastChannel;
        idle[c] = false;
        allIdle = false;
        if (wm > watermarks[c]) {
            watermarks[c] = wm;
        }
        return advance();
    }

    /** Returns the new task watermark, or {@code Long.MIN_VALUE}. */
    long onIdle() {
        idle[lastChannel] = true;
        return advance();
    }

    long onEnd() {
        ended[lastChannel] = true;
        watermarks[lastChannel] = Long.MAX_VALUE;
        endedCount++;
        return advance();
    }

    boolean allEnded() {
        return endedCount == channels.length;
    }

    /** True once, when the task has just become idle (every live channel idle). */
    boolean becameIdle() {
        if (allIdle || endedCount == channels.length) {
            return false;
        }
        for (int c = 0; c < channels.length; c++) {
            if (!ended[c] && !idle[c]) {
                return false;
            }
        }
        allIdle = true;
        return true;
    }

    private long advance() {
        long min = Long.MAX_VALUE;
        boolean anyLive = false;
        for (int c = 0; c < channels.length; c++) {
            if (!ended[c] && !idle[c]) {
                anyLive = true;
                min = Math.min(min, watermarks[c]);
            }
        }
        if (!anyLive && endedCount < channels.length) {
            return Long.MIN_VALUE;
        }
        if (min > watermark) {
            watermark = min;
            return min;
        }
        return Long.MIN_VALUE;
    }

    /**
     * Barrier {@code id} arrived on the last polled channel. Returns true when it has now arrived on
     * every channel that has not ended (the snapshot is due). With {@code block}, the channel is held
     * back until then (aligned, exactly-once); without, records keep flowing (at-least-once). A newer
     * barrier abandons an older alignment (that checkpoint was aborted); an older one is ignored.
     */
    boolean onBarrier(long id, boolean block) {
        if (id < alignedCheckpoint) {
            return false;
        }
        if (id > alignedCheckpoint) {
            unblockAll();
            alignedCheckpoint = id;
            barriersSeen = 0;
            java.util.Arrays.fill(barrierSeen, false);
            alignStart = System.nanoTime();
        }
        if (!barrierSeen[lastChannel]) {
            barrierSeen[lastChannel] = true;
            barriersSeen++;
            blocked[lastChannel] = block;
        }
        return alignmentComplete();
    }

    /** True when an alignment is in progress and every live channel has delivered the barrier. */
    boolean alignmentComplete() {
        if (barriersSeen == 0) {
            return false;
        }
        for (int c = 0; c < channels.length; c++) {
            if (!ended[c] && !barrierSeen[c]) {
                return false;
            }
        }
        return true;
    }

    /** Ends the alignment: every channel flows again. Returns the time spent aligning. */
    long finishAlignment() {
        unblockAll();
        barriersSeen = 0;
        java.util.Arrays.fill(barrierSeen, false);
        return System.nanoTime() - alignStart;
    }

    long alignedCheckpoint() {
        return alignedCheckpoint;
    }

    private void unblockAll() {
        java.util.Arrays.fill(blocked, false);
    }

    long watermark() {
        return watermark;
    }
}
