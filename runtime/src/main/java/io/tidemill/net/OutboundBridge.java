package io.tidemill.net;

import io.tidemill.exchange.Channel;

/**
 * The sending end of one remote channel: the data plane's event loop is the only consumer of a local
 * {@link Channel} that a producer task fills, and ships its items.
 *
 * <p>Credits (the sender's side). An item is taken from the channel only against a credit, so items
 * wait in the producer's bounded queue (backpressuring the producer through its overflow) rather than
 * in memory of the data plane or the socket. Priority barriers need no credit: they overtake the data,
 * as in a local channel, keeping the producer's {@code sequence}. They are held back only until the
 * channel is open (its first credit arrived), which proves the receiver registered its end: a barrier
 * sent earlier would be refused as a frame for an unknown channel.
 */
final class OutboundBridge {
    final DataPlane.ChannelKey key;
    final Channel channel;
    /** Credits received and not yet used. Written by the event loop only. */
    volatile long credits;
    /** Items sent. Written by the event loop only. */
    volatile long items;
    private boolean open;

    OutboundBridge(DataPlane.ChannelKey key, Channel channel) {
        this.key = key;
        this.channel = channel;
    }

    void addCredits(long n) {
        credits += n;
        open = true;
    }

    /** Whether the receiver has granted credits at least once. */
    boolean isOpen() {
        return open;
    }

    /** Takes the next item against a credit, or null (no credit or nothing queued). */
    Object takeItem() {
        if (credits == 0) {
            return null;
        }
        Object item = channel.poll();
        if (item != null) {
            credits--;
            items++;
        }
        return item;
    }
}
