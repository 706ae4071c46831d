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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Takes the items of a task's input channels and records the in-flight ones for unaligned
 * checkpoints (the channel state saved with the snapshot).
 *
 * <p>A priority barrier overtakes its channel's queue, carrying the position ({@code sequence}) it
 * would have had in it. Invariants:
 * <ul>
 *   <li>No item at or after the position of a barrier the task has not handled yet is processed:
 *       {@link #take} holds it back ({@link #HELD_BACK}), because the snapshot must come first.
 *   <li>From {@link #start} until {@link #finish}, every item that lies before the checkpoint's
 *       barrier in its channel is recorded exactly once, whether it was taken before the barrier
 *       was seen (then it is in {@code pending}), or after: once a channel's barrier is known,
 *       {@link #advance} moves the rest of the items before it out of the queue into {@code pending}
 *       (recorded, and processed later as usual), so the snapshot completes without waiting for
 *       the task to work through its backlog.
 *   <li>The recording is complete when every live channel's barrier arrived and every item before
 *       it was taken. Items recorded at or after their channel's barrier are left out, by position.
 *   <li>Records go to the section of their key group when the channel is keyed (so channel state
 *       can be redistributed at another parallelism), else to the operator-state section.
 * </ul>
 */
final class ChannelStateRecorder {
    /** What {@link #take} returns for an item after a barrier not handled yet. */
    static final Object HELD_BACK = new Object();

    /** An item taken from a queue, with its position in its channel. */
    private record Held(Object item, long position) {}

    private final Channel[] channels;
    private final KeySelector<Object, Object>[] keys;
    private final int maxParallelism;
    /**
     * Items taken from the queue but not yet processed: moved ahead for an unaligned snapshot, or
     * held back because they lie after a barrier that has not been handled yet.
     */
    private final ArrayDeque<Held>[] pending;
    private final boolean[] ended;
    private final boolean[] barrierArrived;
    private final long[] barrierAt;
    private boolean unaligned;
    private long checkpoint = Long.MIN_VALUE;
    private boolean recording;
    /** Per channel, the batches recorded, with their position in the channel. */
    private List<Held>[] recorded;

    /** @param keys per channel, its key selector if it is keyed, else null */
    @SuppressWarnings("unchecked")
    ChannelStateRecorder(Channel[] channels, KeySelector<?, ?>[] keys, int maxParallelism) {
        this.channels = channels;
        this.keys = (KeySelector<Object, Object>[]) keys;
        this.maxParallelism = maxParallelism;
        this.pending = new ArrayDeque[channels.length];
        for (int i = 0; i < channels.length; i++) {
            pending[i] = new ArrayDeque<>();
        }
        this.ended = new boolean[channels.length];
        this.barrierArrived = new boolean[channels.length];
        this.barrierAt = new long[channels.length];
    }

    /** Unaligned checkpoints: items after a pending priority barrier wait until it is handled. */
    void setUnaligned(boolean unaligned) {
        this.unaligned = unaligned;
    }

    /**
     * The next item of channel {@code c} (a pending one first), recording it if a recording is under
     * way; null if there is none, {@link #HELD_BACK} if it lies after a barrier not handled yet.
     */
    Object take(int c) {
        Held held = pending[c].poll();
        if (held != null) {
            return held.item();
        }
        Channel channel = channels[c];
        Object item = channel.poll();
        if (item == null) {
            return null;
        }
        long position = channel.taken() - 1;
        PriorityBarrier b = unaligned ? channel.peekPriority() : null;
        if (b != null && position >= b.sequence()) {
            pending[c].addFirst(new Held(item, position));
            return HELD_BACK;
        }
        if (recording) {
            record(c, item, position);
        }
        return item;
    }

    /** Channel {@code c} ended: a recording no longer waits for its barrier. */
    void onEnd(int c) {
        ended[c] = true;
    }

    /** Starts recording channel state for checkpoint {@code id}, abandoning an older recording. */
    @SuppressWarnings("unchecked")
    void start(long id) {
        checkpoint = id;
        recording = true;
        recorded = new List[channels.length];
        Arrays.fill(barrierArrived, false);
        for (int c = 0; c < channels.length; c++) {
            recorded[c] = new ArrayList<>();
            // Taken but not processed yet: recorded with their positions; those after this
            // checkpoint's barrier in their channel are left out when the recording finishes.
            for (Held h : pending[c]) {
                record(c, h.item(), h.position());
            }
        }
    }

    /** The priority barrier of the current recording arrived on channel {@code c}. */
    void onBarrier(int c, PriorityBarrier b) {
        barrierArrived[c] = true;
        barrierAt[c] = b.sequence();
    }

    /** Moves items before known barriers out of the queues (recording them); true when complete. */
    boolean advance() {
        if (!recording) {
            return false;
        }
        boolean complete = true;
        for (int c = 0; c < channels.length; c++) {
            if (ended[c]) {
                continue;
            }
            if (!barrierArrived[c]) {
                complete = false;
                continue;
            }
            Channel channel = channels[c];
            while (channel.taken() < barrierAt[c]) {
                Object item = channel.poll();
                if (item == null) {
                    break;
                }
                long position = channel.taken() - 1;
                record(c, item, position);
                pending[c].add(new Held(item, position));
            }
            complete &= channel.taken() >= barrierAt[c];
        }
        return complete;
    }

    /**
     * Ends the recording and returns the channel state: the records of every batch that was in its
     * channel before that channel's barrier, in the format of {@link InFlightRecords}.
     */
    OperatorSnapshot finish() throws IOException {
        OperatorSnapshot s = new OperatorSnapshot(checkpoint);
        for (int c = 0; c < channels.length; c++) {
            for (Held r : recorded[c]) {
                if (barrierArrived[c] && r.position() >= barrierAt[c]) {
                    continue;
                }
                Batch b = (Batch) r.item();
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

    /** The checkpoint being recorded or last recorded. */
    long checkpoint() {
        return checkpoint;
    }

    /** Notes a batch of channel {@code c} at {@code position}; other items carry no records. */
    private void record(int c, Object item, long position) {
        if (item instanceof Batch) {
            recorded[c].add(new Held(item, position));
        }
    }
}
