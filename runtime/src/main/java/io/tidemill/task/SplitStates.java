package io.tidemill.task;

import io.tidemill.api.source.SourceSplit;
import io.tidemill.checkpoint.codec.ValueCodec;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one format of a source task's operator state, written at a barrier by the source task and
 * read by the restore: {@code int n, (split, long offset, boolean ended)*}, splits as
 * {@link ValueCodec} values. Every split a subtask was given is in it, the ended ones too, so a
 * restore at any parallelism hands out exactly the splits of the snapshot.
 */
final class SplitStates {
    private SplitStates() {}

    /** A split with where its reader stands, or that it ended. */
    record SplitState(SourceSplit split, long offset, boolean ended) {}

    static void write(List<SplitState> splits, DataOutput out) throws IOException {
        out.writeInt(splits.size());
        for (SplitState s : splits) {
            ValueCodec.write(s.split(), out);
            out.writeLong(s.offset());
            out.writeBoolean(s.ended());
        }
    }

    static List<SplitState> read(DataInput in) throws IOException {
        int n = in.readInt();
        List<SplitState> splits = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            SourceSplit split = (SourceSplit) ValueCodec.read(in);
            long offset = in.readLong();
            splits.add(new SplitState(split, offset, in.readBoolean()));
        }
        return splits;
    }
}
