package io.tidemill.net;

import io.tidemill.checkpoint.codec.ValueCodec;
import io.tidemill.exchange.Channel;
import io.tidemill.exchange.PriorityBarrier;

/**
 * The sending end of one remote channel: the data plane's event loop is the only consumer of a local
 * {@link Channel} that a producer task fills, and ships its items.
 *
 * <p>Credits (the sender's side). An item is taken from the channel only against a credit, so items
 * wait in the producer's bounded queue (backpressuring the producer through its overflow) rather than
 * in memory of the data plane or the socket. Priority barriers need no credit: they overtake the data,
 * as in a local channel, keeping the producer's {@code sequence}. They are held back only until the
 * channel is open (its first credit arrived), which proves the receiver registered its end: a barrier
 * sent earlier would be refused as a frame for an unknown channel. A barrier is sent before any item
 * at or after its position: as in a local channel, a consumer that takes such an item must already
 * see the barrier, which holds the item back until the snapshot is taken. The producer sets the
 * barrier before it pushes the item at its position, so the sender that took that item sees it
 * ({@link #barrierDue}).
 */
final class OutboundBridge {
    final DataPlane.ChannelKey key;
    final Channel channel;
    /**
     * The record shapes defined on this channel so far (event loop only): a record's class and
     * component names are sent once per channel, then referred to by id (see {@link InboundBridge#shapes}).
     */
    final ValueCodec.Shapes shapes = new ValueCodec.Shapes();
    /** Credits received and not yet used. Written by the event loop only. */
    volatile long credits;
    /** Items sent. Written by the event loop only. */
    volatile long items;
    private boolean open;
    private boolean ended;
    /** While released and draining: when to give up ({@link System#nanoTime}); else 0. */
    private long drainDeadline;

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

    /** END_OF_INPUT was sent: nothing follows. */
    void ended() {
        ended = true;
    }

    /** The execution was released: drains until END_OF_INPUT is sent or {@code deadline}; false if done. */
    boolean drainUntil(long deadline) {
        drainDeadline = deadline;
        return !ended;
    }

    /** Released, and END_OF_INPUT sent or the deadline passed. */
    boolean isDrained() {
        return drainDeadline != 0 && (ended || System.nanoTime() - drainDeadline > 0);
    }

    /** Whether a pending priority barrier lies at or before the item taken last. */
    boolean barrierDue() {
        PriorityBarrier pb = channel.peekPriority();
        return pb != null && pb.sequence() < channel.taken();
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
