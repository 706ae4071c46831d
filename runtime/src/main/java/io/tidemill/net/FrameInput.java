package io.tidemill.net;

import io.vertx.core.buffer.Buffer;
import java.io.DataInput;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;

/**
 * Reads one received frame. Every read is checked against the frame's end, so a truncated or lying
 * frame ends in an {@link EOFException}, never in reading the next frame's bytes. Reused per
 * connection. Not thread-safe.
 */
final class FrameInput implements DataInput {
    private Buffer buffer;
    private int position;
    private int end;

    FrameInput reset(Buffer frame) {
        this.buffer = frame;
        this.position = 0;
        this.end = frame.length();
        return this;
    }

    int remaining() {
        return end - position;
    }

    private int advance(int n) throws EOFException {
        if (n < 0 || n > end - position) {
            throw new EOFException("frame truncated: " + n + " bytes wanted, " + (end - position) + " left");
        }
        int p = position;
        position += n;
        return p;
    }

    @Override
    public void readFully(byte[] b) throws EOFException {
        readFully(b, 0, b.length);
    }

    @Override
    public void readFully(byte[] b, int off, int len) throws EOFException {
        int p = advance(len);
        buffer.getBytes(p, p + len, b, off);
    }

    @Override
    public int skipBytes(int n) throws EOFException {
        advance(n);
        return n;
    }

    @Override
    public boolean readBoolean() throws EOFException {
        return readByte() != 0;
    }

    @Override
    public byte readByte() throws EOFException {
        return buffer.getByte(advance(1));
    }

    @Override
    public int readUnsignedByte() throws EOFException {
        return readByte() & 0xff;
    }

    @Override
    public short readShort() throws EOFException {
        return buffer.getShort(advance(2));
    }

    @Override
    public int readUnsignedShort() throws EOFException {
        return readShort() & 0xffff;
    }

    @Override
    public char readChar() throws EOFException {
        return (char) readShort();
    }

    @Override
    public int readInt() throws EOFException {
        return buffer.getInt(advance(4));
    }

    @Override
    public long readLong() throws EOFException {
        return buffer.getLong(advance(8));
    }

    @Override
    public float readFloat() throws EOFException {
        return Float.intBitsToFloat(readInt());
    }

    @Override
    public double readDouble() throws EOFException {
        return Double.longBitsToDouble(readLong());
    }

    @Override
    public String readLine() {
        throw new UnsupportedOperationException("frames carry no text lines");
    }

    @Override
    public String readUTF() throws EOFException {
        int n = readUnsignedShort();
        byte[] b = new byte[Math.min(n, remaining())];
        readFully(b, 0, n);
        return new String(b, StandardCharsets.UTF_8);
    }
}
