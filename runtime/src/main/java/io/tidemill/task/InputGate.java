package io.tidemill.task;

import io.tidemill.api.function.KeySelector;
import io.tidemill.exchange.Channel;
import io.tidemill.exchange.PriorityBarrier;

/**
 * The input channels of a task: takes their items round robin and keeps which channel each came
 * from. The protocols over the channels are parts of their own, each with its invariants:
 * {@link WatermarkValve} (event-time progress, idle channels), {@link BarrierAligner} (aligned
 * checkpoints: channels blocked until every barrier arrived) and {@link ChannelStateRecorder}
 * (unaligned checkpoints: the in-flight records saved with the snapshot). A channel that ended is
 * no longer polled, and the end is told to each part.
 */
final class InputGate {
    private final Channel[] channels;
    final WatermarkValve valve;
    final BarrierAligner aligner;
    final ChannelStateRecorder recorder;
    private int next;
    private int lastChannel;
    private int lastPriorityChannel;

    /** @param keys per channel, its key selector if it is keyed, else null */
    InputGate(Channel[] channels, KeySelector<?, ?>[] keys, int maxParallelism) {
        this.channels = channels;
        this.valve = new WatermarkValve(channels.length);
        this.aligner = new BarrierAligner(channels.length);
        this.recorder = new ChannelStateRecorder(channels, keys, maxParallelism);
    }

    /** The next item of any channel, round robin; null when all are empty (or one must wait). */
    Object poll() {
        int n = channels.length;
        for (int i = 0; i < n; i++) {
            int c = next;
            if (++next == n) {
                next = 0;
            }
            if (valve.isEnded(c) || aligner.isBlocked(c)) {
                continue;
            }
            Object item = recorder.take(c);
            if (item == ChannelStateRecorder.HELD_BACK) {
                return null; // the unaligned snapshot comes first
            }
            if (item != null) {
                lastChannel = c;
                return item;
            }
        }
        return null;
    }

    /** The channel of the item {@link #poll} returned last. */
    int lastChannel() {
        return lastChannel;
    }

    /** The last polled channel ended; returns the new task watermark, or {@code Long.MIN_VALUE}. */
    long onEnd() {
        aligner.onEnd(lastChannel);
        recorder.onEnd(lastChannel);
        return valve.onEnd(lastChannel);
    }

    /** The next priority barrier of any live channel, or null; see {@link #lastPriorityChannel}. */
    PriorityBarrier pollPriority() {
        for (int c = 0; c < channels.length; c++) {
            if (!valve.isEnded(c)) {
                PriorityBarrier b = channels[c].pollPriority();
                if (b != null) {
                    lastPriorityChannel = c;
                    return b;
                }
            }
        }
        return null;
    }

    /** The channel of the barrier {@link #pollPriority} returned last. */
    int lastPriorityChannel() {
        return lastPriorityChannel;
    }
}
