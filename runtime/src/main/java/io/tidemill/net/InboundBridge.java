package io.tidemill.net;

import io.tidemill.checkpoint.codec.ValueCodec;
import io.tidemill.exchange.Channel;

/**
 * The receiving end of one remote channel: items from the wire go into a local {@link Channel}, of
 * which the data plane's event loop is the only producer.
 *
 * <p>Credits (the receiver's side). A credit is the right to send one item. Invariant:
 * {@code queued + outstanding <= capacity} at all times, where {@code outstanding} counts credits
 * granted and not yet used by an item. A credit is used by exactly one received item, which goes
 * straight into the queue, so the queue never overflows and the memory of a channel is bounded by
 * its capacity. An item arriving without a credit breaks the protocol: the connection is closed.
 * The consumer frees slots concurrently; the event loop sees that on its periodic flush, and when
 * the consumer tells it that it took a quarter of the capacity since it last did (the queue's size is
 * read conservatively: at worst too high, so too few credits are granted, never too many). Credits
 * are granted when a quarter of the capacity is free, or as soon as anything is free while the
 * sender has no credit left, so a waiting sender is never starved for more than a flush period (the
 * buffer timeout).
 */
final class InboundBridge {
    final DataPlane.ChannelKey key;
    final Channel channel;
    final ClassLoader loader;
    /**
     * The record shapes the sender defined on this channel (event loop only). Per channel, not per
     * connection: frames of unregistered channels are dropped undecoded, and this channel's items
     * are decoded in the order they were encoded, so it follows the sender's dictionary exactly.
     */
    final ValueCodec.Shapes shapes = new ValueCodec.Shapes();
    private final int threshold;
    /** Credits granted and not yet used by an item. Written by the event loop only. */
    volatile int outstanding;
    /** Items received. Written by the event loop only. */
    volatile long items;

    InboundBridge(DataPlane.ChannelKey key, Channel channel, ClassLoader loader) {
        this.key = key;
        this.channel = channel;
        this.loader = loader;
        this.threshold = Math.max(1, channel.capacity() / 4);
    }

    /** Free slots worth a grant of their own: a quarter of the capacity. */
    int threshold() {
        return threshold;
    }

    /** The credits to grant now (0: none): the free slots, when the rule above says so. */
    int creditsToGrant() {
        int free = channel.capacity() - channel.queued() - outstanding;
        return free > 0 && (free >= threshold || outstanding == 0) ? free : 0;
    }

    /** Notes credits granted (sent). */
    void granted(int credits) {
        outstanding += credits;
    }

    /** Takes the credit of one received item; false if there is none (the sender broke the protocol). */
    boolean useCredit() {
        if (outstanding == 0) {
            return false;
        }
        outstanding--;
        items++;
        return true;
    }
}
