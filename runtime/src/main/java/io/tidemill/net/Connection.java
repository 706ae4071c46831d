package io.tidemill.net;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection of the data plane: framing, the handshake, and the dispatch of frames to the
 * {@link PeerLink} of the node on the other end. Everything runs on the data plane's event loop.
 *
 * <p>Handshake: the dialer sends a HELLO, the acceptor checks it and answers with its own, which the
 * dialer checks. Before a valid HELLO no other frame is read and no frame may exceed
 * {@link Frames#MAX_HELLO_BYTES}. Any violation of the format (a length over the limit, a truncated
 * or malformed frame, an unknown type, an item without credit) closes the connection with one log
 * line; the link then reports the executions that had channels on it as failed. Nothing is thrown
 * out of a handler.
 */
final class Connection {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    private static final long HANDSHAKE_TIMEOUT_MS = 10_000;

    private final DataPlane plane;
    final NetSocket socket;
    /** The link this side dialed for; null for an accepted connection. */
    private final PeerLink dialedFor;
    private final FrameInput in = new FrameInput();
    final FrameOutput out = new FrameOutput(1 << 16);
    /**
     * Received bytes not handled yet, {@code received[receivedFrom, receivedTo)}: at most one partial
     * frame after each read. Frames are decoded in place here (one copy from the socket's buffer, none
     * per frame); it grows up to the largest frame allowed plus one read.
     */
    private byte[] received = new byte[1 << 16];
    private int receivedFrom;
    private int receivedTo;
    private long handshakeTimer;
    /** The link of the peer once the handshake succeeded. */
    private PeerLink link;
    private boolean closed;

    volatile long recordsSent;
    volatile long bytesSent;
    volatile long recordsReceived;
    volatile long bytesReceived;
    volatile long framesReceived;

    Connection(DataPlane plane, NetSocket socket, PeerLink dialedFor) {
        this.plane = plane;
        this.socket = socket;
        this.dialedFor = dialedFor;
    }

    void start() {
        socket.handler(this::onBytes);
        socket.exceptionHandler(e -> close("socket error: " + e.getMessage()));
        socket.closeHandler(v -> onClosed());
        socket.drainHandler(v -> {
            if (link != null) {
                link.pumpAll();
                flush();
            }
        });
        handshakeTimer = plane.vertx().setTimer(HANDSHAKE_TIMEOUT_MS, id -> {
            if (link == null) {
                close("no handshake within " + HANDSHAKE_TIMEOUT_MS + " ms");
            }
        });
        if (dialedFor != null) {
            sendHello();
        }
    }

    PeerLink link() {
        return link;
    }

    boolean isWriteBlocked() {
        return socket.writeQueueFull();
    }

    /** Writes what was encoded since the last flush. */
    void flush() {
        if (out.size() > 0 && !closed) {
            bytesSent += out.size();
            socket.write(out.take());
        }
    }

    private void sendHello() {
        DataPlane.Peer self = plane.self();
        Frames.writeHello(out, plane.config().clusterName(), plane.config().secret(), self.host(), self.port());
        flush();
    }

    private void onBytes(Buffer bytes) {
        try {
            append(bytes);
            handleFrames();
            if (link != null) {
                flush(); // credits granted and items sent while handling these bytes, in one write
            }
        } catch (RuntimeException e) {
            close("cannot handle received bytes: " + e);
        }
    }

    private void append(Buffer bytes) {
        int n = bytes.length();
        int pending = receivedTo - receivedFrom;
        if (receivedTo + n > received.length) {
            byte[] to = pending + n > received.length
                    ? new byte[Math.max(pending + n, 2 * received.length)] : received;
            System.arraycopy(received, receivedFrom, to, 0, pending);
            received = to;
            receivedFrom = 0;
            receivedTo = pending;
        }
        bytes.getBytes(0, n, received, receivedTo);
        receivedTo += n;
    }

    /** Handles every complete frame received; a partial one waits for more bytes. */
    private void handleFrames() {
        while (!closed && receivedTo - receivedFrom >= Frames.LENGTH_BYTES) {
            int length = FrameInput.intAt(received, receivedFrom);
            int max = link == null ? Frames.MAX_HELLO_BYTES : plane.config().maxFrameBytes();
            if (length < 1 || length > max) {
                close("frame length " + length + " outside 1.." + max);
                return;
            }
            int from = receivedFrom + Frames.LENGTH_BYTES;
            if (receivedTo - from < length) {
                break;
            }
            receivedFrom = from + length;
            bytesReceived += Frames.LENGTH_BYTES + length;
            framesReceived++;
            try {
                onFrame(in.reset(received, from, from + length));
            } catch (IOException | RuntimeException e) {
                close("malformed frame: " + e.getMessage());
            } catch (StackOverflowError e) {
                close("malformed frame: a value nested too deeply");
            }
        }
        if (receivedFrom == receivedTo) {
            receivedFrom = 0;
            receivedTo = 0;
        }
    }

    private void onFrame(FrameInput frame) throws IOException {
        byte type = frame.readByte();
        if (link == null) {
            if (type != Frames.HELLO) {
                close("expected a HELLO frame, got type " + type);
                return;
            }
            onHello(Frames.readHello(frame));
            return;
        }
        switch (type) {
            case Frames.DATA:
                recordsReceived += link.onData(readKey(frame), frame);
                break;
            case Frames.PRIORITY_BARRIER:
                link.onPriorityBarrier(readKey(frame), frame.readLong(), frame.readLong());
                break;
            case Frames.CREDIT:
                link.onCredit(readKey(frame), frame.readInt());
                break;
            default:
                throw new IOException("unexpected frame type " + type);
        }
        if (frame.remaining() != 0) {
            throw new IOException(frame.remaining() + " bytes left over in a frame of type " + type);
        }
    }

    private static DataPlane.ChannelKey readKey(FrameInput frame) throws IOException {
        return new DataPlane.ChannelKey(frame.readLong(), frame.readInt(), frame.readInt(), frame.readInt());
    }

    private void onHello(Frames.Hello hello) {
        String refusal = plane.checkHello(hello);
        if (refusal != null) {
            plane.countRefusedConnection();
            close("handshake refused: " + refusal);
            return;
        }
        plane.vertx().cancelTimer(handshakeTimer);
        if (dialedFor == null) {
            sendHello();
        }
        // The dialer knows the node by the address it dialed; the acceptor by the name the dialer gives
        // (its own address as the cluster knows it): the one both use in their registrations.
        link = plane.onHandshake(dialedFor != null ? dialedFor.peer : new DataPlane.Peer(hello.host(), hello.port()),
                this);
    }

    /** Closes this connection with one log line; the link reports its executions failed. */
    void close(String reason) {
        if (closed) {
            return;
        }
        closed = true;
        plane.vertx().cancelTimer(handshakeTimer);
        if (!plane.isClosing()) {
            LOG.warn("Closing data connection with {} ({}): {}", peerName(), socket.remoteAddress(), reason);
        }
        lost(reason);
        socket.close();
    }

    private void onClosed() {
        if (closed) {
            return;
        }
        closed = true;
        plane.vertx().cancelTimer(handshakeTimer);
        if (!plane.isClosing() && (link != null || dialedFor != null)) {
            LOG.warn("Data connection with {} ({}) closed by the peer", peerName(), socket.remoteAddress());
        }
        lost("the connection was closed");
    }

    private void lost(String reason) {
        plane.forget(this);
        if (link != null) {
            link.connectionLost(this, reason);
        } else if (dialedFor != null) {
            dialedFor.dialFailed(reason);
        }
    }

    private String peerName() {
        return link != null ? link.peer.toString() : dialedFor != null ? dialedFor.peer.toString() : "an unknown peer";
    }
}
