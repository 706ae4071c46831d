package io.tidemill.net;

import io.tidemill.checkpoint.codec.ValueCodec;
import io.tidemill.exchange.Barrier;
import io.tidemill.exchange.Batch;
import io.tidemill.exchange.Control;
import io.tidemill.watermark.Watermark;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The data plane's wire format, written and read here only.
 *
 * <pre>
 * frame    := length:int (bytes after this field, 1..maxFrameBytes) type:byte body
 * HELLO    := magic:int version:short cluster:string secret:string host:string port:int
 *             (each side sends one first; nothing else is read before a valid HELLO)
 * channel frames start with: executionId:long edge:int producer:int consumer:int
 * DATA     := header item+            (each item uses one credit)
 * PRIORITY := header checkpointId:long sequence:long   (needs no credit)
 * CREDIT   := header credits:int (&gt; 0)
 * item     := BATCH count:int (timestamp:long value)*count   (value: {@link ValueCodec}, with the
 *             channel direction's record shape dictionary, {@link ValueCodec.Shapes})
 *           | WATERMARK timestamp:long | BARRIER checkpointId:long | IDLE | END_OF_INPUT
 * string   := length:int utf8-bytes   (at most {@link #MAX_HELLO_STRING} bytes in a HELLO)
 * </pre>
 * Integers are big-endian. Java serialization is never used: values are records, enums and built-in
 * types through {@link ValueCodec}, which instantiates nothing else.
 */
final class Frames {
    static final int MAGIC = 0x54444d4c; // "TDML"
    static final short VERSION = 2; // 2: record shape dictionaries per channel (ValueCodec.Shapes)

    static final byte HELLO = 1;
    static final byte DATA = 2;
    static final byte PRIORITY_BARRIER = 3;
    static final byte CREDIT = 4;

    static final byte BATCH = 1;
    static final byte WATERMARK = 2;
    static final byte BARRIER = 3;
    static final byte IDLE = 4;
    static final byte END_OF_INPUT = 5;

    /** Bytes of the length field. */
    static final int LENGTH_BYTES = 4;
    /** Bytes of type and channel header after the length field. */
    static final int CHANNEL_HEADER_BYTES = 1 + 8 + 4 + 4 + 4;
    /** An unauthenticated peer may not make us buffer more than this before its HELLO is checked. */
    static final int MAX_HELLO_BYTES = 4096;
    static final int MAX_HELLO_STRING = 1024;
    /** The smallest encoded record: a timestamp and a one-byte value tag. */
    private static final int MIN_RECORD_BYTES = 9;

    private Frames() {}

    /** What a HELLO says: who the sender is and which cluster it belongs to. */
    record Hello(int magic, short version, String cluster, String secret, String host, int port) {}

    static void writeHello(FrameOutput out, String cluster, String secret, String host, int port) {
        int start = beginFrame(out, HELLO);
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        writeString(out, cluster);
        writeString(out, secret == null ? "" : secret);
        writeString(out, host);
        out.writeInt(port);
        endFrame(out, start);
    }

    /** Reads a HELLO body (after its type byte). */
    static Hello readHello(FrameInput in) throws IOException {
        int magic = in.readInt();
        short version = in.readShort();
        return new Hello(magic, version, readString(in), readString(in), readString(in), in.readInt());
    }

    /** Starts a frame of {@code type}; returns its start, for {@link #endFrame}. */
    static int beginFrame(FrameOutput out, byte type) {
        int start = out.size();
        out.writeInt(0);
        out.writeByte(type);
        return start;
    }

    /** Starts a channel frame: type and channel header. */
    static int beginFrame(FrameOutput out, byte type, DataPlane.ChannelKey key) {
        int start = beginFrame(out, type);
        out.writeLong(key.executionId());
        out.writeInt(key.edge());
        out.writeInt(key.producer());
        out.writeInt(key.consumer());
        return start;
    }

    /** Completes the frame started at {@code start}; returns its length on the wire. */
    static int endFrame(FrameOutput out, int start) {
        int length = out.size() - start;
        out.putInt(start, length - LENGTH_BYTES);
        out.frames++;
        return length;
    }

    /** Writes one channel item; returns the records it carries (0 for a control item). */
    static int writeItem(FrameOutput out, Object item, ValueCodec.Shapes shapes) throws IOException {
        if (item instanceof Batch b) {
            out.writeByte(BATCH);
            out.writeInt(b.size);
            for (int i = 0; i < b.size; i++) {
                out.writeLong(b.timestamps[i]);
                ValueCodec.write(b.values[i], out, shapes);
            }
            return b.size;
        } else if (item instanceof Watermark w) {
            out.writeByte(WATERMARK);
            out.writeLong(w.timestamp());
        } else if (item instanceof Barrier b) {
            out.writeByte(BARRIER);
            out.writeLong(b.checkpointId());
        } else if (item == Control.IDLE) {
            out.writeByte(IDLE);
        } else if (item == Control.END_OF_INPUT) {
            out.writeByte(END_OF_INPUT);
        } else {
            throw new IOException("cannot send a channel item of type "
                    + (item == null ? "null" : item.getClass().getName()));
        }
        return 0;
    }

    /**
     * Reads one channel item. Values are decoded through the thread context class loader, which the
     * caller sets to the execution's.
     */
    static Object readItem(FrameInput in, ValueCodec.Shapes shapes) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case BATCH: {
                int n = in.readInt();
                // A lying count fails here instead of allocating the arrays it claims.
                if (n < 0 || (long) n * MIN_RECORD_BYTES > in.remaining()) {
                    throw new IOException("implausible batch size " + n + " with " + in.remaining() + " bytes left");
                }
                Batch b = new Batch(Math.max(1, n));
                for (int i = 0; i < n; i++) {
                    long timestamp = in.readLong();
                    b.add(ValueCodec.read(in, shapes), timestamp);
                }
                return b;
            }
            case WATERMARK:
            {
                long timestamp = in.readLong();
                return timestamp == Long.MAX_VALUE ? Watermark.MAX : new Watermark(timestamp);
            }
            case BARRIER:
                return new Barrier(in.readLong());
            case IDLE:
                return Control.IDLE;
            case END_OF_INPUT:
                return Control.END_OF_INPUT;
            default:
                throw new IOException("unknown item tag " + tag);
        }
    }

    static void writeString(FrameOutput out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(FrameInput in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_HELLO_STRING) {
            throw new IOException("implausible string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
