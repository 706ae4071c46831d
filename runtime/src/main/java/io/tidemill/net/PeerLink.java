package io.tidemill.net;

import io.tidemill.exchange.Batch;
import io.tidemill.exchange.Control;
import io.tidemill.exchange.PriorityBarrier;
import io.tidemill.net.DataPlane.ChannelKey;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything between this node and one other node: the channels of every execution between them and
 * the one connection that carries them (multiplexed). Event loop only, except that the maps and
 * counters may be read by {@link DataPlane#stats}.
 *
 * <p>Fencing: a frame for a channel that is not registered here is refused (dropped and counted):
 * it belongs to a released or failed execution, or to none. Data can only come for a registered
 * channel, because the sender needs credits, which only a registered inbound channel grants. Credits
 * for an outbound channel not registered yet (the receiver registered first) are kept, at most
 * {@link #MAX_EARLY_CREDITS} channels' worth, unless their execution is fenced.
 *
 * <p>A lost connection fails every execution with a channel here, and those channels are forgotten:
 * items in flight are lost, so none of them may continue on a new connection.
 */
final class PeerLink {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);
    static final int MAX_EARLY_CREDITS = 65_536;
    private static final int DIAL_ATTEMPTS = 3;
    private static final long DIAL_RETRY_MS = 200;

    private final DataPlane plane;
    final DataPlane.Peer peer;
    final Map<ChannelKey, InboundBridge> inbound = new ConcurrentHashMap<>();
    final Map<ChannelKey, OutboundBridge> outbound = new ConcurrentHashMap<>();
    private final Map<ChannelKey, Long> earlyCredits = new HashMap<>();
    /** The handshaken connection, or null. */
    private volatile Connection connection;
    private boolean dialing;
    private int dialAttempts;

    PeerLink(DataPlane plane, DataPlane.Peer peer) {
        this.plane = plane;
        this.peer = peer;
    }

    Connection connection() {
        return connection;
    }

    boolean hasChannels() {
        return !inbound.isEmpty() || !outbound.isEmpty();
    }

    void addInbound(InboundBridge bridge) {
        inbound.put(bridge.key, bridge);
        if (connection != null) {
            grant(bridge);
            connection.flush();
        } else {
            dialIfMine();
        }
    }

    void addOutbound(OutboundBridge bridge) {
        outbound.put(bridge.key, bridge);
        Long early = earlyCredits.remove(bridge.key);
        if (early != null) {
            bridge.addCredits(early);
        }
        if (connection == null) {
            dialIfMine();
        }
    }

    /** Forgets the channels of an execution at once. */
    void forget(long executionId) {
        inbound.keySet().removeIf(k -> k.executionId() == executionId);
        outbound.keySet().removeIf(k -> k.executionId() == executionId);
        earlyCredits.keySet().removeIf(k -> k.executionId() == executionId);
    }

    /**
     * Releases the channels of an execution: inbound ones at once; an outbound one that has not sent
     * END_OF_INPUT yet drains first, until it has or until {@code deadline} ({@link System#nanoTime}).
     * Its part of the execution may have finished on this node with its last items still queued for
     * the consumer, which must get them to finish too; after a cancel the producer has stopped, and
     * what it queued is refused by the peer, which released the execution as well.
     */
    void release(long executionId, long deadline) {
        inbound.keySet().removeIf(k -> k.executionId() == executionId);
        earlyCredits.keySet().removeIf(k -> k.executionId() == executionId);
        outbound.values().removeIf(b -> b.key.executionId() == executionId && !b.drainUntil(deadline));
    }

    // ---- connection ----

    private void dialIfMine() {
        if (!dialing && connection == null && plane.dials(peer)) {
            dialing = true;
            dialAttempts = 0;
            dial();
        }
    }

    private void dial() {
        dialAttempts++;
        plane.dial(this);
    }

    /** A dial or its handshake failed: retries a few times, then fails the executions waiting here. */
    void dialFailed(String reason) {
        if (!dialing) {
            return;
        }
        if (dialAttempts < DIAL_ATTEMPTS && hasChannels()) {
            plane.vertx().setTimer(DIAL_RETRY_MS * dialAttempts, id -> {
                if (dialing && connection == null) {
                    dial();
                }
            });
            return;
        }
        dialing = false;
        LOG.warn("Cannot connect to the data plane of {}: {}", peer, reason);
        failAll("cannot connect to the data plane of node " + peer + ": " + reason);
    }

    /** The handshake of {@code c} succeeded: it carries this link's channels from now on. */
    void attach(Connection c) {
        if (connection != null && connection != c) {
            connection.close("replaced by a new connection from the same node");
        }
        connection = c;
        dialing = false;
        flush();
    }

    void connectionLost(Connection c, String reason) {
        if (connection != c) {
            return;
        }
        connection = null;
        failAll("data connection to node " + peer + " lost: " + reason);
    }

    private void failAll(String reason) {
        Set<Long> executions = new TreeSet<>();
        inbound.keySet().forEach(k -> executions.add(k.executionId()));
        outbound.keySet().forEach(k -> executions.add(k.executionId()));
        inbound.clear();
        outbound.clear();
        earlyCredits.clear();
        for (long id : executions) {
            plane.failExecution(id, reason, peer);
        }
    }

    // ---- sending ----

    /** The periodic flush: grants credits for space the consumers freed, sends what producers queued. */
    void flush() {
        Connection c = connection;
        if (c == null) {
            return;
        }
        for (InboundBridge b : inbound.values()) {
            grant(b);
        }
        pumpAll();
        c.flush();
        outbound.values().removeIf(OutboundBridge::isDrained);
    }

    /** The consumer of {@code b} freed space: grants it now, if the rule of {@link InboundBridge} says so. */
    void grantNow(InboundBridge b) {
        Connection c = connection;
        if (c != null && inbound.get(b.key) == b) {
            grant(b);
            c.flush();
        }
    }

    private void grant(InboundBridge b) {
        int credits = b.creditsToGrant();
        if (credits > 0) {
            FrameOutput out = connection.out;
            int start = Frames.beginFrame(out, Frames.CREDIT, b.key);
            out.writeInt(credits);
            Frames.endFrame(out, start);
            b.granted(credits);
        }
    }

    /** A producer queued enough, or something urgent: send what credits allow now, not at the next flush. */
    void wake() {
        Connection c = connection;
        if (c != null) {
            pumpAll();
            c.flush();
        }
    }

    void pumpAll() {
        for (OutboundBridge b : outbound.values()) {
            if (!pump(b)) {
                break;
            }
        }
    }

    /**
     * Encodes the pending priority barrier and the items that credits allow. Frames are cut at a soft
     * size so one channel cannot hold the connection for long; false when the socket's write queue is
     * full (the drain handler and the next flush go on).
     */
    private boolean pump(OutboundBridge b) {
        Connection c = connection;
        if (c == null || c.isWriteBlocked()) {
            return false;
        }
        FrameOutput out = c.out;
        if (b.isOpen()) {
            writePriorityBarrier(out, b);
        }
        int start = -1;
        int shapesMark = 0;
        long records = 0;
        try {
            while (true) {
                if (start >= 0 && out.size() - start >= plane.softFrameBytes()) {
                    Frames.endFrame(out, start);
                    start = -1;
                    if (out.size() >= plane.flushBytes()) {
                        c.flush();
                        if (c.isWriteBlocked()) {
                            return false;
                        }
                    }
                }
                Object item = b.takeItem();
                if (item == null) {
                    break;
                }
                if (b.barrierDue()) {
                    // The producer set the barrier before this item, which lies at or after its
                    // position: the barrier goes first, or the consumer could process the item
                    // before it sees the barrier.
                    if (start >= 0) {
                        Frames.endFrame(out, start);
                        start = -1;
                    }
                    writePriorityBarrier(out, b);
                }
                if (start < 0) {
                    start = Frames.beginFrame(out, Frames.DATA, b.key);
                    shapesMark = b.shapes.mark();
                }
                records += Frames.writeItem(out, item, b.shapes);
                if (item == Control.END_OF_INPUT) {
                    b.ended();
                }
                int length = out.size() - start - Frames.LENGTH_BYTES;
                if (length > plane.config().maxFrameBytes()) {
                    throw new IOException("a frame would have " + length + " bytes, over the maximum of "
                            + plane.config().maxFrameBytes() + " (a batch too large?)");
                }
            }
            if (start >= 0) {
                Frames.endFrame(out, start);
            }
            return true;
        } catch (IOException | RuntimeException e) {
            if (start >= 0) {
                out.truncate(start);
                // The record shapes that frame defined are not sent: the receiver must not expect them.
                b.shapes.rollback(shapesMark);
            }
            plane.failExecution(b.key.executionId(), "cannot send on channel " + b.key + " to node " + peer
                    + ": " + e.getMessage(), null);
            return true;
        } finally {
            c.recordsSent += records;
        }
    }

    private static void writePriorityBarrier(FrameOutput out, OutboundBridge b) {
        PriorityBarrier pb = b.channel.pollPriority();
        if (pb != null) {
            int start = Frames.beginFrame(out, Frames.PRIORITY_BARRIER, b.key);
            out.writeLong(pb.checkpointId());
            out.writeLong(pb.sequence());
            Frames.endFrame(out, start);
        }
    }

    // ---- receiving ----

    /** Pushes the items of a DATA frame into their inbound channel; returns the records received. */
    long onData(ChannelKey key, FrameInput frame) throws IOException {
        InboundBridge b = inbound.get(key);
        if (b == null) {
            plane.refused(key, "data");
            frame.skipBytes(frame.remaining());
            return 0;
        }
        long records = 0;
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(b.loader);
        try {
            while (frame.remaining() > 0) {
                if (!b.useCredit()) {
                    throw new IOException("an item without credit on channel " + key);
                }
                Object item = Frames.readItem(frame, b.shapes);
                if (item instanceof Batch batch) {
                    records += batch.size;
                }
                b.channel.pushItem(item);
            }
        } finally {
            thread.setContextClassLoader(previous);
        }
        return records;
    }

    void onPriorityBarrier(ChannelKey key, long checkpointId, long sequence) {
        InboundBridge b = inbound.get(key);
        if (b == null) {
            plane.refused(key, "priority barrier");
            return;
        }
        b.channel.putPriorityBarrier(new PriorityBarrier(checkpointId, sequence));
    }

    void onCredit(ChannelKey key, int credits) throws IOException {
        if (credits <= 0) {
            throw new IOException("a grant of " + credits + " credits on channel " + key);
        }
        OutboundBridge b = outbound.get(key);
        if (b != null) {
            boolean starved = b.credits == 0;
            b.addCredits(credits);
            if (starved) {
                // Items may be waiting for credits: they go now. With credits left, what is queued
                // waits for its producer's wake-up or the flush, as it would have without this grant.
                pump(b);
            }
        } else if (plane.isFenced(key.executionId())) {
            plane.refused(key, "credit");
        } else if (earlyCredits.size() >= MAX_EARLY_CREDITS && !earlyCredits.containsKey(key)) {
            plane.refused(key, "credit (too many channels waiting to register)");
        } else {
            earlyCredits.merge(key, (long) credits, Long::sum);
        }
    }
}
