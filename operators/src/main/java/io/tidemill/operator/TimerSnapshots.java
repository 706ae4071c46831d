package io.tidemill.operator;

import io.tidemill.checkpoint.codec.ValueCodec;
import io.tidemill.state.KeyGroupRange;
import io.tidemill.state.KeyGroups;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Writes and reads timers per key group: {@code count, (time, key, namespace)*}. */
public final class TimerSnapshots {
    private TimerSnapshots() {}

    /** Timers captured by {@link TimerQueue#liveTimers} bucketed by key group index within {@code range}; for the deferred part. */
    public static List<List<TimerQueue.Timer>> byKeyGroup(TimerQueue.Timer[] timers, KeyGroupRange range,
                                                          int maxParallelism) {
        List<List<TimerQueue.Timer>> groups = new ArrayList<>(range.size());
        for (int i = 0; i < range.size(); i++) {
            groups.add(new ArrayList<>());
        }
        for (TimerQueue.Timer t : timers) {
            groups.get(KeyGroups.keyGroupOf(t.key(), maxParallelism) - range.start()).add(t);
        }
        return groups;
    }

    public static void write(List<TimerQueue.Timer> timers, DataOutput out) throws IOException {
        out.writeInt(timers.size());
        for (TimerQueue.Timer t : timers) {
            out.writeLong(t.time());
            ValueCodec.write(t.key(), out);
            ValueCodec.write(t.namespace(), out);
        }
    }

    public static void read(DataInput in, TimerQueue into) throws IOException {
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            long time = in.readLong();
            Object key = ValueCodec.read(in);
            into.register(time, key, ValueCodec.read(in));
        }
    }
}
