package io.tidemill.exchange;

import io.tidemill.api.function.KeySelector;
import io.tidemill.graph.Partitioning;
import io.tidemill.operator.OperatorException;
import io.tidemill.state.KeyGroups;
import io.tidemill.watermark.Watermark;

/**
 * The producer end of one edge for one producer subtask: picks the channel of each record by the
 * edge's partitioning. Watermarks and control events go to every channel.
 */
public final class Router {
    private final Channel[] channels;
    private final Partitioning.Type type;
    private final KeySelector<Object, Object> key;
    private final int maxParallelism;
    /** The channel of each key group. */
    private final int[] channelOfGroup;
    private final String consumerName;
    private final int subtask;
    private final int parallelism;
    private int next;

    @SuppressWarnings("unchecked")
    public Router(Channel[] channels, Partitioning partitioning, int maxParallelism, String consumerName,
                  int subtask, int parallelism) {
        this.channels = channels;
        this.type = partitioning.type();
        this.key = (KeySelector<Object, Object>) partitioning.key();
        this.maxParallelism = maxParallelism;
        this.channelOfGroup = new int[maxParallelism];
        for (int g = 0; g < maxParallelism; g++) {
            channelOfGroup[g] = KeyGroups.subtaskOf(g, maxParallelism, channels.length);
        }
        this.consumerName = consumerName;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.next = subtask % channels.length;
    }

    public void emit(Object value, long timestamp) {
        switch (type) {
            case KEYED -> channels[targetOf(value)].add(value, timestamp);
            case BROADCAST -> {
                for (Channel c : channels) {
                    c.add(value, timestamp);
                }
            }
            default -> {
                if (channels.length == 1) {
                    channels[0].add(value, timestamp);
                } else {
                    channels[next].add(value, timestamp);
                    if (++next == channels.length) {
                        next = 0;
                    }
                }
            }
        }
    }

    private int targetOf(Object value) {
        Object k;
        int group;
        try {
            k = key.getKey(value);
            if (k == null) {
                throw new OperatorException("keyBy of " + consumerName, subtask, parallelism,
                        "the key selector returned null for record " + abbreviate(value));
            }
            group = KeyGroups.keyGroupOf(k, maxParallelism);
        } catch (OperatorException e) {
            throw e;
        } catch (Exception e) {
            throw new OperatorException("keyBy of " + consumerName, subtask, parallelism, e);
        }
        return channelOfGroup[group];
    }

    private static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    /** True if a channel of this edge is full and holds batches waiting (backpressure). */
    public boolean isBlocked() {
        for (Channel c : channels) {
            if (c.isBlocked()) {
                return true;
            }
        }
        return false;
    }

    public void emitWatermark(long watermark) {
        Watermark w = new Watermark(watermark);
        for (Channel c : channels) {
            c.addControl(w);
        }
    }

    /** Sends a barrier after everything emitted before it, on every channel. */
    public void emitBarrier(Barrier barrier) {
        for (Channel c : channels) {
            c.addControl(barrier);
        }
    }

    /** Sends an unaligned barrier that overtakes what is queued, on every channel. */
    public void emitPriorityBarrier(long checkpointId) {
        for (Channel c : channels) {
            c.addPriorityBarrier(checkpointId);
        }
    }

    public void emitControl(Control control) {
        for (Channel c : channels) {
            c.addControl(control);
        }
    }

    public void flush() {
        for (Channel c : channels) {
            c.flush();
        }
    }

    /** True when every channel's overflow has drained. */
    public boolean drain() {
        boolean clear = true;
        for (Channel c : channels) {
            clear &= c.drain();
        }
        return clear;
    }
}
