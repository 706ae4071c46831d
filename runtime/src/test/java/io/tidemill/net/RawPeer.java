package io.tidemill.net;

import io.tidemill.net.DataPlane.ChannelKey;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A peer speaking raw TCP to a data plane, to send it whatever a test wants. */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final FrameOutput out = new FrameOutput(1024);
    private boolean oneByteAtATime;
    private boolean held;

    RawPeer(DataPlane.Peer to) throws IOException {
        socket = new Socket(to.host(), to.port());
        socket.setSoTimeout(20);
        in = socket.getInputStream();
    }

    RawPeer hello(String cluster, String secret, DataPlane.Peer as) throws IOException {
        Frames.writeHello(out, cluster, secret, as.host(), as.port());
        return send();
    }

    /** A DATA frame of one batch of {@code values} (timestamps 0, 1, ...). */
    RawPeer data(ChannelKey key, Object... values) throws IOException {
        int start = Frames.beginFrame(out, Frames.DATA, key);
        out.writeByte(Frames.BATCH);
        out.writeInt(values.length);
        for (int i = 0; i < values.length; i++) {
            out.writeLong(i);
            io.tidemill.checkpoint.codec.ValueCodec.write(values[i], out);
        }
        Frames.endFrame(out, start);
        return send();
    }

    /** A frame of {@code type} for {@code key} whose body is {@code body}. */
    RawPeer frame(byte type, ChannelKey key, byte... body) throws IOException {
        int start = Frames.beginFrame(out, type, key);
        out.write(body);
        Frames.endFrame(out, start);
        return send();
    }

    RawPeer bytes(byte... bytes) throws IOException {
        out.write(bytes);
        return send();
    }

    RawPeer lengthPrefix(int length) throws IOException {
        out.writeInt(length);
        return send();
    }

    /** Whether to send every byte from now on in a write of its own (the receiver sees frames in pieces). */
    RawPeer oneByteAtATime(boolean on) throws IOException {
        oneByteAtATime = on;
        socket.setTcpNoDelay(on);
        return this;
    }

    /** Keeps what is encoded from now on until {@link #release}, which sends it in one write. */
    RawPeer hold() {
        held = true;
        return this;
    }

    RawPeer release() throws IOException {
        held = false;
        return send();
    }

    private RawPeer send() throws IOException {
        if (held) {
            return this;
        }
        byte[] bytes = out.take().getBytes();
        if (oneByteAtATime) {
            for (byte b : bytes) {
                socket.getOutputStream().write(b);
                socket.getOutputStream().flush();
            }
        } else {
            socket.getOutputStream().write(bytes);
            socket.getOutputStream().flush();
        }
        return this;
    }

    /** Reads (and drops) what the data plane sent; true once it closed the connection. */
    boolean closedByDataPlane() {
        byte[] sink = new byte[8192];
        try {
            while (true) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
