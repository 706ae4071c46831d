package io.tidemill.task;

import io.tidemill.api.function.KeySelector;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.exchange.Batch;
import io.tidemill.exchange.Channel;
import io.tidemill.exchange.PriorityBarrier;
import io.tidemill.state.KeyGroups;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The input channels of a task and their event-time progress.
 *
 * <p>Invariants: the task's watermark is the minimum of the watermarks of its channels that are
 * neither idle nor ended, and it never goes backwards. A channel becomes idle on an IDLE event and
 * active again on its next batch or watermark. When every channel that has not ended is idle, the
 * task is idle and says so downstream (once), so idle inputs do not hold windows back forever.
 *
 * <p>Unaligned checkpoints: the first priority barrier of checkpoint {@code n} (on any channel)
 * starts a recording; from then on, every record that lies before barrier {@code n} in its channel
 * is written to the channel state of the snapshot as it is taken from the queue. Once a channel's
 * barrier is known, the rest of the records before it are moved out of the queue into a pending list
 * right away (recorded, and processed later as usual), so the snapshot completes without waiting for
 * the task to process its backlog. The recording is complete when every live channel's barrier
 * arrived and every item before it was taken. Records go to the section of their key group when the
 * channel is keyed (so channel state can be redistributed), else to the operator-state section.
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
    /** An item taken from a queue but not processed yet, with its position in its channel. */
    private record Held(Object item, long position) {}

    /**
     * Items taken from the queue but not yet processed: moved ahead for an unaligned snapshot, or
     * held back because they lie after a barrier that has not been handled yet.
     */
    private final ArrayDeque<Held>[] pending;
    private boolean unaligned;
    private final KeySelector<Object, Object>[] keys;
    private final int maxParallelism;
    private long unalignedId = Long.MIN_VALUE;
    /** Per channel, the batches taken while recording, with their position in the channel. */
    private java.util.List<Object[]>[] recorded;
    private boolean recording;
    private boolean[] priorityArrived;
    private long[] priorityAt;
    private int lastPriorityChannel;
    private int endedCount;
    private int next;
    private int lastChannel;
    private long watermark = Long.MIN_VALUE;
    private boolean allIdle;

    InputGate(Channel[] channels) {
        this(channels, new KeySelector[channels.length], 1);
    }

    @SuppressWarnings("unchecked")
    InputGate(Channel[] channels, KeySelector<?, ?>[] keys, int maxParallelism) {
        this.channels = channels;
        this.keys = (KeySelector<Object, Object>[]) keys;
        this.maxParallelism = maxParallelism;
        this.pending = new ArrayDeque[channels.length];
        for (int i = 0; i < channels.length; i++) {
            pending[i] = new ArrayDeque<>();
        }
        this.priorityArrived = new boolean[channels.length];
        this.priorityAt = new long[channels.length];
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
                Held held = pending[c].poll();
                Object item;
                if (held != null) {
                    item = held.item();
                } else {
                    item = channels[c].poll();
                    if (item == null) {
                        continue;
                    }
                    long position = channels[c].taken() - 1;
                    PriorityBarrier b = unaligned ? channels[c].peekPriority() : null;
                    if (b != null && position >= b.sequence()) {
                        // After a barrier not handled yet: the snapshot must come first.
                        pending[c].addFirst(new Held(item, position));
                        return null;
                    }
                    if (recording) {
                        record(c, item, position);
                    }
                }
                lastChannel = c;
                return item;
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

    // ---- unaligned checkpoints ----

    /** Unaligned checkpoints: records after a pending priority barrier wait until it is handled. */
    void setUnaligned(boolean unaligned) {
        this.unaligned = unaligned;
    }

    /** The next priority barrier of any live channel, or null; sets the channel it came from. */
    PriorityBarrier pollPriority() {
        for (int c = 0; c < channels.length; c++) {
            if (!ended[c]) {
                PriorityBarrier b = channels[c].pollPriority();
                if (b != null) {
                    lastPriorityChannel = c;
                    return b;
                }
            }
        }
        return null;
    }

    long unalignedCheckpoint() {
        return unalignedId;
    }

    /** Starts recording channel state for checkpoint {@code id} (abandoning an older recording). */
    @SuppressWarnings("unchecked")
    void startRecording(long id) {
        unalignedId = id;
        recording = true;
        recorded = new java.util.List[channels.length];
        java.util.Arrays.fill(priorityArrived, false);
        for (int c = 0; c < channels.length; c++) {
            recorded[c] = new java.util.ArrayList<>();
            // Taken but not processed yet: recorded with their positions; those after this
            // checkpoint's barrier in their channel are left out when the recording finishes.
            for (Held h : pending[c]) {
                record(c, h.item(), h.position());
            }
        }
    }

    /** The priority barrier of the current recording arrived on the last priority channel. */
    void onPriorityBarrier(PriorityBarrier b) {
        priorityArrived[lastPriorityChannel] = true;
        priorityAt[lastPriorityChannel] = b.sequence();
    }

    /** Moves items before known barriers out of the queues (recording them); true when complete. */
    boolean advanceRecording() {
        if (!recording) {
            return false;
        }
        boolean complete = true;
        for (int c = 0; c < channels.length; c++) {
            if (ended[c]) {
                continue;
            }
            if (!priorityArrived[c]) {
                complete = false;
                continue;
            }
            while (channels[c].taken() < priorityAt[c]) {
                Object item = channels[c].poll();
                if (item == null) {
                    break;
                }
                long position = channels[c].taken() - 1;
                record(c, item, position);
                pending[c].add(new Held(item, position));
            }
            complete &= channels[c].taken() >= priorityAt[c];
        }
        return complete;
    }

    /**
     * Ends the recording and returns the channel state: the records of every batch that was in its
     * channel before that channel's barrier (batches taken after it, before the barrier was seen, are
     * left out by their position).
     */
    OperatorSnapshot finishRecording() throws IOException {
        OperatorSnapshot s = new OperatorSnapshot(unalignedId);
        for (int c = 0; c < channels.length; c++) {
            for (Object[] r : recorded[c]) {
                long position = (Long) r[0];
                if (priorityArrived[c] && position >= priorityAt[c]) {
                    continue;
                }
                Batch b = (Batch) r[1];
                for (int i = 0; i < b.size; i++) {
                    Object v = b.values[i];
                    DataOutput out;
                    try {
                        out = keys[c] != null ? s.keyGroup(KeyGroups.keyGroupOf(keys[c].getKey(v), maxParallelism))
                                : s.operatorState();
                    } catch (RuntimeException e) {
                        throw e;
                    } catch (Exception e) {
                        throw new IOException("cannot key an in-flight record: " + e.getMessage(), e);
                    }
                    InFlightRecords.write(v, b.timestamps[i], out);
                }
            }
        }
        recording = false;
        recorded = null;
        return s;
    }

    boolean isRecording() {
        return recording;
    }

    /** Notes a batch of channel {@code c} at {@code position} for the channel state. */
    private void record(int c, Object item, long position) {
        if (item instanceof Batch b) {
            recorded[c].add(new Object[] {position, b});
        }
    }

    long watermark() {
        return watermark;
    }
}
