package io.tidemill.api.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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

    /** Reads what {@code reader} may read now, up to 10 000 records. */
    private static long readNow(SplitReader<Long> reader) throws Exception {
        long[] n = new long[1];
        reader.read(new SourceOutput<>() {
            @Override
            public void collect(Long value) {
                n[0]++;
            }

            @Override
            public void collect(Long value, long timestamp) {
                n[0]++;
            }
        }, 10_000);
        return n[0];
    }

    @Test
    @Timeout(10)
    void givenARestoreAfterADowntime_thenTheRateCountsFromTheRestoredOffsetAndTheRestoreMoment_notFromTheFirstStart()
            throws Exception {
        long[] now = {0};
        long second = 1_000_000_000L;
        CollectionSource<Long> inner = new CollectionSource<>(LongStream.range(0, 100_000).boxed().toList());
        RateLimitedSource<Long> limited = new RateLimitedSource<>(inner, 100, () -> now[0]); // 100 per second
        SourceSplit split = inner.createSplits(1).get(0);

        // the first attempt reads at the rate for 5 s, then fails (its reader is closed)
        SplitReader<Long> first = limited.createReader(split, 0);
        long read = 0;
        for (int s = 0; s < 5; s++) {
            read += readNow(first);
            now[0] += second;
        }
        read += readNow(first);
        first.close();
        assertEquals(501, read, "the first attempt: 100 per second, one at the start");

        // down for 20 s, then restored from a checkpoint at offset 300
        now[0] += 20 * second;
        SplitReader<Long> restored = limited.createReader(split, 300);
        long atRestore = readNow(restored);
        now[0] += 3 * second;
        long afterThreeSeconds = atRestore + readNow(restored);

        assertEquals(1, atRestore, "no catching up on the time since the first start");
        assertEquals(301, afterThreeSeconds, "100 per second from the restore on: 3 s after it, 300 and the first one");
    }
}
