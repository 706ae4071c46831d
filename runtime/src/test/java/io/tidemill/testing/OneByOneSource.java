package io.tidemill.testing;

import io.tidemill.api.source.Source;
import io.tidemill.api.source.SourceOutput;
import io.tidemill.api.source.SourceSplit;
import io.tidemill.api.source.SplitReader;
import java.util.List;

/**
 * A bounded single-split source that emits one record per read. The source task emits a watermark
 * after every read, so each record is followed by its own watermark: whether a record is late
 * depends only on the records before it, never on how they were batched.
 */
public final class OneByOneSource<T> implements Source<T> {
    private static final SourceSplit ONLY = () -> "only";
    private final List<T> items;

    public OneByOneSource(List<T> items) {
        this.items = List.copyOf(items);
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public List<SourceSplit> createSplits(int parallelism) {
        return List.of(ONLY);
    }

    @Override
    public SplitReader<T> createReader(SourceSplit split, long offset) {
        return new SplitReader<>() {
            private int next = (int) offset;

            @Override
            public Status read(SourceOutput<T> out, int max) {
                if (next < items.size()) {
                    out.collect(items.get(next++));
                }
                return next < items.size() ? Status.MORE : Status.END;
            }

            @Override
            public long offset() {
                return next;
            }
        };
    }
}
