package io.tidemill.task;

import java.util.Arrays;

/**
 * The event-time progress of a task's input channels: turns the watermarks and idleness of each
 * channel into the task's watermark.
 *
 * <p>Invariants: the task's watermark is the minimum of the watermarks of its channels that are
 * neither idle nor ended, and it never goes backwards. A channel becomes idle on an IDLE event and
 * active again on its next batch or watermark. While every channel that has not ended is idle the
 * watermark holds, and the task is idle and says so downstream (once, see {@link #becameIdle}), so
 * idle inputs do not hold windows back forever. An ended channel no longer holds the watermark back;
 * when all have ended, it is the maximal watermark.
 */
final class WatermarkValve {
    private final long[] watermarks;
    private final boolean[] idle;
    private final boolean[] ended;
    private int endedCount;
    private long watermark = Long.MIN_VALUE;
    /** Every live channel is idle and downstream was told so. */
    private boolean allIdle;

    WatermarkValve(int channels) {
        watermarks = new long[channels];
        idle = new boolean[channels];
        ended = new boolean[channels];
        Arrays.fill(watermarks, Long.MIN_VALUE);
    }

    /** A batch arrived on channel {@code c}: the channel is active. */
    void onRecords(int c) {
        if (idle[c]) {
            idle[c] = false;
            allIdle = false;
        }
    }

    /** Returns the new task watermark, or {@code Long.MIN_VALUE} if it did not advance. */
    long onWatermark(int c, long wm) {
        idle[c] = false;
        allIdle = false;
        if (wm > watermarks[c]) {
            watermarks[c] = wm;
        }
        return advance();
    }

    /** Channel {@code c} is idle; returns the new task watermark, or {@code Long.MIN_VALUE}. */
    long onIdle(int c) {
        idle[c] = true;
        return advance();
    }

    /** Channel {@code c} ended; returns the new task watermark, or {@code Long.MIN_VALUE}. */
    long onEnd(int c) {
        ended[c] = true;
        watermarks[c] = Long.MAX_VALUE;
        endedCount++;
        return advance();
    }

    boolean isEnded(int c) {
        return ended[c];
    }

    boolean allEnded() {
        return endedCount == ended.length;
    }

    /** True once, when the task has just become idle (every live channel idle). */
    boolean becameIdle() {
        if (allIdle || allEnded()) {
            return false;
        }
        for (int c = 0; c < ended.length; c++) {
            if (!ended[c] && !idle[c]) {
                return false;
            }
        }
        allIdle = true;
        return true;
    }

    long watermark() {
        return watermark;
    }

    private long advance() {
        long min = Long.MAX_VALUE;
        boolean anyLive = false;
        for (int c = 0; c < ended.length; c++) {
            if (!ended[c] && !idle[c]) {
                anyLive = true;
                min = Math.min(min, watermarks[c]);
            }
        }
        if (!anyLive && !allEnded()) {
            return Long.MIN_VALUE;
        }
        if (min > watermark) {
            watermark = min;
            return min;
        }
        return Long.MIN_VALUE;
    }
}
