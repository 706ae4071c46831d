package io.tidemill.api.source;

import java.util.ArrayList;
import java.util.List;

/** A bounded source over an in-memory list, split into contiguous ranges. */
public final class CollectionSource<T> implements Source<T> {
    private final List<T> items;

    public CollectionSource(List<T> items) {
        this.items = List.copyOf(items);
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    @Override
    public List<Range> createSplits(int parallelism) {
        List<Range> splits = new ArrayList<>();
        int n = Math.max(1, Math.min(parallelism, items.size()));
        for (int i = 0; i < n; i++) {
            int from = (int) ((long) items.size() * i / n);
            int to = (int) ((long) items.size() * (i + 1) / n);
            splits.add(new Range(i, from, to));
        }
        return splits;
    }

    @Override
    public SplitReader<T> createReader(SourceSplit split, long offset) {
        Range r = (Range) split;
        return new SplitReader<>() {
            private int next = (int) (r.from + offset);

            @Override
            public Status read(SourceOutput<T> out, int max) {
                int end = Math.min(r.to, next + max);
                for (; next < end; next++) {
                    out.collect(items.get(next));
                }
                return next >= r.to ? Status.END : Status.MORE;
            }

            @Override
            public long offset() {
                return next - r.from;
            }
        };
    }

    /** Items {@code [from, to)} of the list. */
    public record Range(int index, int from, int to) implements SourceSplit {
        @Override
        public String splitId() {
            return "range-" + index;
        }
    }
}
