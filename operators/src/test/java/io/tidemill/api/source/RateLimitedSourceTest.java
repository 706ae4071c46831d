package io.tidemill.api.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The rate is the source's in total, also for readers of restored splits (no createSplits call). */
class RateLimitedSourceTest {
    @Test
    void restoredSplitsShareTheRateInsteadOfEachTakingAllOfIt() throws Exception {
        CollectionSource<Long> inner = new CollectionSource<>(LongStream.range(0, 100).boxed().toList());
        List<? extends SourceSplit> splits = inner.createSplits(4);
        assertEquals(4, splits.size());
        // as a restore does: readers for the saved splits, without createSplits on the limited source
        RateLimitedSource<Long> limited = new RateLimitedSource<>(inner, 1); // one record per second
        List<SplitReader<Long>> readers = new ArrayList<>();
        for (SourceSplit s : splits) {
            readers.add(limited.createReader(s, 0));
        }

        List<Long> got = new ArrayList<>();
        SourceOutput<Long> out = new SourceOutput<>() {
            @Override
            public void collect(Long value) {
                got.add(value);
            }

            @Override
            public void collect(Long value, long timestamp) {
                got.add(value);
            }
        };
        for (SplitReader<Long> r : readers) {
            r.read(out, 100);
        }

        assertEquals(1, got.size(), "within the first second, the whole source may emit one record: " + got);
    }
}
