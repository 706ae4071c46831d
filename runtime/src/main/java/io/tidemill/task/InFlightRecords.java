package io.tidemill.task;

import io.tidemill.checkpoint.codec.ValueCodec;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * The in-flight records of an unaligned snapshot for one operator (its {@code in:} sections): the
 * records that were queued before the barrier on the operator's input channels. One codec for both
 * ends: the recorder writes each record with {@link #write}, a restore reads the sections back and
 * {@link #replay}s them into the operator before any other input.
 *
 * <p>Format of a section: {@code (value, int64 timestamp)*} to its end, values in
 * {@link ValueCodec}'s encoding.
 */
final class InFlightRecords {
    private final Emitter operator;
    private Object[] values = new Object[16];
    private long[] timestamps = new long[16];
    private int size;

    private InFlightRecords(Emitter operator) {
        this.operator = operator;
    }

    static void write(Object value, long timestamp, DataOutput out) throws IOException {
        ValueCodec.write(value, out);
        out.writeLong(timestamp);
    }

    /** Reads every record of {@code sections}, to be replayed into {@code operator}. */
    static InFlightRecords read(List<DataInput> sections, Emitter operator) throws IOException {
        InFlightRecords r = new InFlightRecords(operator);
        for (DataInput in : sections) {
            // Sections are whole byte arrays: they end where the stream does.
            DataInputStream d = (DataInputStream) in;
            while (d.available() > 0) {
                r.add(ValueCodec.read(d), d.readLong());
            }
        }
        return r;
    }

    private void add(Object value, long timestamp) {
        if (size == values.length) {
            values = Arrays.copyOf(values, size * 2);
            timestamps = Arrays.copyOf(timestamps, size * 2);
        }
        values[size] = value;
        timestamps[size++] = timestamp;
    }

    boolean isEmpty() {
        return size == 0;
    }

    int size() {
        return size;
    }

    void replay() {
        for (int i = 0; i < size; i++) {
            operator.emit(values[i], timestamps[i]);
        }
    }
}
