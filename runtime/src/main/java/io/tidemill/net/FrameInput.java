package io.tidemill.net;

import java.io.DataInput;
import java.io.EOFException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Reads one received frame, in place in the connection's receive array. Every read is checked
 * against the frame's end, so a truncated or lying frame ends in an {@link EOFException}, never in
 * reading the next frame's bytes. Reused per connection. Not thread-safe.
 */
final class FrameInput implements DataInput {
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private byte[] bytes;
    private int position;
    private int end;

    /** The frame {@code bytes[from, to)}. */
    FrameInput reset(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.position = from;
        this.end = to;
        return this;
    }

    /** Reads a big-endian int at {@code at} of {@code bytes} (a frame's length prefix). */
    static int intAt(byte[] bytes, int at) {
        return (int) INT.get(bytes, at);
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
        System.arraycopy(bytes, p, b, off, len);
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
        return bytes[advance(1)];
    }

    @Override
    public int readUnsignedByte() throws EOFException {
        return readByte() & 0xff;
    }

    @Override
    public short readShort() throws EOFException {
        return (short) SHORT.get(bytes, advance(2));
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
        return (int) INT.get(bytes, advance(4));
    }

    @Override
    public long readLong() throws EOFException {
        return (long) LONG.get(bytes, advance(8));
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
