package io.tidemill.window;

import io.tidemill.checkpoint.codec.ValueCodec;
import io.tidemill.operator.TimerQueue;
import io.tidemill.operator.TimerSnapshots;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The one format of a window operator's key-group section, written and read by both window
 * operators (so either restores the other's snapshot):
 * <pre>
 * int keys, (key, int windows, (long start, long end, long count, accumulator)*)*,
 * event-time timers, processing-time timers, long watermark,
 * int windows with trigger state, (key, long start, long end, map of state name to value)*
 * </pre>
 * Keys and accumulators are {@link ValueCodec} values; timers are {@link TimerSnapshots} lists. The
 * watermark is the operator's when the snapshot was taken: every event-time window whose last
 * timestamp is at or below it had fired, so a restore knows which ones must not fire again. (A
 * section written before the watermark was recorded ends after the timers.)
 */
final class WindowSnapshots {
    private WindowSnapshots() {}

    /** Receives the windows of a section as it is read. */
    @FunctionalInterface
    interface WindowReader {
        void window(Object key, TimeWindow window, long count, Object accumulator) throws IOException;
    }

    /** The trigger state of one window. */
    record TriggerStateEntry(Object key, TimeWindow window, Map<String, Object> state) {}

    /** Receives the trigger state of a window as it is read. */
    @FunctionalInterface
    interface TriggerStateReader {
        void state(Object key, TimeWindow window, Map<String, Object> state) throws IOException;
    }

    static void writeKeyCount(int keys, DataOutput out) throws IOException {
        out.writeInt(keys);
    }

    static void writeKey(Object key, int windows, DataOutput out) throws IOException {
        ValueCodec.write(key, out);
        out.writeInt(windows);
    }

    /** {@code count} is the window's record count, which only count triggers read. */
    static void writeWindow(TimeWindow window, long count, Object accumulator, DataOutput out) throws IOException {
        out.writeLong(window.start());
        out.writeLong(window.end());
        out.writeLong(count);
        ValueCodec.write(accumulator, out);
    }

    /** The end of a section, after its keys and windows. */
    static void writeTimersAndWatermark(List<TimerQueue.Timer> eventTimers, List<TimerQueue.Timer> processingTimers,
                                        long watermark, DataOutput out) throws IOException {
        TimerSnapshots.write(eventTimers, out);
        TimerSnapshots.write(processingTimers, out);
        out.writeLong(watermark);
    }

    /** The last part of a section: the windows that have trigger state, after the watermark. */
    static void writeTriggerStates(List<TriggerStateEntry> entries, DataOutput out) throws IOException {
        out.writeInt(entries.size());
        for (TriggerStateEntry e : entries) {
            ValueCodec.write(e.key(), out);
            out.writeLong(e.window().start());
            out.writeLong(e.window().end());
            ValueCodec.write(e.state(), out);
        }
    }

    /** Reads what {@link #writeTriggerStates} wrote, if the section has it (after {@link #readSection}). */
    @SuppressWarnings("unchecked")
    static void readTriggerStates(DataInput in, TriggerStateReader states) throws IOException {
        if (in instanceof InputStream s && s.available() < Integer.BYTES) {
            return;
        }
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            Object key = ValueCodec.read(in);
            TimeWindow w = new TimeWindow(in.readLong(), in.readLong());
            states.state(key, w, (Map<String, Object>) ValueCodec.read(in));
        }
    }

    /**
     * Reads one section: every window to {@code windows}, the timers into the queues; returns the
     * recorded watermark, empty for a section written before it was recorded.
     */
    static OptionalLong readSection(DataInput in, WindowReader windows, TimerQueue eventTimers,
                                    TimerQueue processingTimers) throws IOException {
        int keys = in.readInt();
        for (int k = 0; k < keys; k++) {
            Object key = ValueCodec.read(in);
            int n = in.readInt();
            for (int i = 0; i < n; i++) {
                TimeWindow w = new TimeWindow(in.readLong(), in.readLong());
                long count = in.readLong();
                windows.window(key, w, count, ValueCodec.read(in));
            }
        }
        TimerSnapshots.read(in, eventTimers);
        TimerSnapshots.read(in, processingTimers);
        if (in instanceof InputStream s && s.available() < Long.BYTES) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(in.readLong());
    }
}
