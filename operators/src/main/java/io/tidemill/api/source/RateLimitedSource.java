package io.tidemill.api.source;

import io.tidemill.api.sink.Sink;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Limits another source to {@code recordsPerSecond} in total, over all its splits, e.g. to replay a
 * file at a realistic rate. Offsets and splits are the wrapped source's. The budget is shared by the
 * split readers of this JVM (not divided by a split count, which a restore from a checkpoint does not
 * recompute), counted from the first reader's creation.
 */
public final class RateLimitedSource<T> implements Source<T> {
    private final Source<T> source;
    private final long recordsPerSecond;
    /** Records all readers emitted, and when the first reader was made (0: none yet). */
    private final AtomicLong emitted = new AtomicLong();
    private final AtomicLong startNanos = new AtomicLong();

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
        return source.createSplits(parallelism);
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
    public SplitDiscovery discoverSplits(List<? extends SourceSplit> known) throws Exception {
        return source.discoverSplits(known);
    }

    @Override
    public SplitReader<T> createReader(SourceSplit split, long offset) throws Exception {
        SplitReader<T> reader = source.createReader(split, offset);
        startNanos.compareAndSet(0, System.nanoTime());
        long start = startNanos.get();
        return new SplitReader<>() {
            @Override
            public Status read(SourceOutput<T> out, int max) throws Exception {
                long allowed = (long) ((System.nanoTime() - start) / 1e9 * recordsPerSecond) + 1 - emitted.get();
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
                emitted.addAndGet(count[0]);
                return s;
            }

            @Override
            public long offset() {
                return reader.offset();
            }

            @Override
            public void notifyCheckpointComplete(long offset) {
                reader.notifyCheckpointComplete(offset);
            }

            @Override
            public void close() throws Exception {
                reader.close();
            }
        };
    }
}
