package io.tidemill.api.source;

import io.tidemill.api.sink.Sink;
import java.util.List;

/**
 * Limits another source to {@code recordsPerSecond} in total (each of {@code n} splits gets an equal
 * share), e.g. to replay a file at a realistic rate. Offsets and splits are the wrapped source's.
 */
public final class RateLimitedSource<T> implements Source<T> {
    private final Source<T> source;
    private final long recordsPerSecond;
    private int splitCount = 1;

    public RateLimitedSource(Source<T> source, long recordsPerSecond) {
        if (recordsPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive, was " + recordsPerSecond);
        }
        this.source = source;
        this.recordsPerSecond = recordsPerSecond;
    }

    @Override
    public boolean isBounded() {
        return source.isBounded();
    }

    @Override
    public List<? extends SourceSplit> createSplits(int parallelism) throws Exception {
        List<? extends SourceSplit> splits = source.createSplits(parallelism);
        splitCount = Math.max(1, splits.size());
        return splits;
    }

    @Override
    public void verifyRestored(SourceSplit split) throws Exception {
        source.verifyRestored(split);
    }

    @Override
    public Sink<DeadLetter> deadLetterSink() {
        return source.deadLetterSink();
    }

    @Override
    public SplitReader<T> createReader(SourceSplit split, long offset) throws Exception {
        SplitReader<T> reader = source.createReader(split, offset);
        double perSplit = recordsPerSecond / (double) splitCount;
        return new SplitReader<>() {
            private final long start = System.nanoTime();
            private long emitted;

            @Override
            public Status read(SourceOutput<T> out, int max) throws Exception {
                long allowed = (long) ((System.nanoTime() - start) / 1e9 * perSplit) + 1 - emitted;
                if (allowed <= 0) {
                    return Status.NOTHING_AVAILABLE;
                }
                int budget = (int) Math.min(max, allowed);
                long[] count = new long[1];
                Status s = reader.read(new SourceOutput<>() {
                    @Override
                    public void collect(T value) {
                        count[0]++;
                        out.collect(value);
                    }

                    @Override
                    public void collect(T value, long timestamp) {
                        count[0]++;
                        out.collect(value, timestamp);
                    }

                    @Override
                    public void deadLetter(DeadLetter letter) {
                        out.deadLetter(letter);
                    }
                }, budget);
                emitted += count[0];
                return s;
            }

            @Override
            public long offset() {
                return reader.offset();
            }

            @Override
            public void close() throws Exception {
                reader.close();
            }
        };
    }
}
