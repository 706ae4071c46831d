package io.tidemill.api.source;

import io.tidemill.api.sink.Sink;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Limits another source to {@code recordsPerSecond} in total, over all its splits, e.g. to replay a
 * file at a realistic rate. Offsets and splits are the wrapped source's. The budget is shared by the
 * split readers of this JVM (not divided by a split count, which a restore from a checkpoint does not
 * recompute).
 *
 * <p>The budget is counted from the moment readers are made while none is open: the job's start, or
 * a restart or restore in this JVM (the earlier attempt's readers were closed). Records read before
 * that, and the time the job was down, do not count: a restored run reads at the rate asked from its
 * restored offsets on, instead of catching up on the time since the first attempt.
 */
public final class RateLimitedSource<T> implements Source<T> {
    private final Source<T> source;
    private final long recordsPerSecond;
    private final LongSupplier nanoClock;
    /** Guards the fields below. */
    private final Object lock = new Object();
    /** Readers made and not closed yet. */
    private int openReaders;
    /** Records read since {@link #startNanos}, when readers were made while none was open. */
    private long emitted;
    private long startNanos;

    public RateLimitedSource(Source<T> source, long recordsPerSecond) {
        this(source, recordsPerSecond, System::nanoTime);
    }

    /** With {@code nanoClock} in place of {@link System#nanoTime} (tests pace a source on a manual clock). */
    RateLimitedSource(Source<T> source, long recordsPerSecond, LongSupplier nanoClock) {
        if (recordsPerSecond <= 0) {
            throw new IllegalArgumentException("rate must be positive, was " + recordsPerSecond);
        }
        this.source = source;
        this.recordsPerSecond = recordsPerSecond;
        this.nanoClock = nanoClock;
    }

    /** How many records the readers may read now (at least 1 at the start of a second's budget). */
    private long allowed() {
        synchronized (lock) {
            return (long) ((nanoClock.getAsLong() - startNanos) / 1e9 * recordsPerSecond) + 1 - emitted;
        }
    }

    private void readerOpened() {
        synchronized (lock) {
            if (openReaders++ == 0) {
                startNanos = nanoClock.getAsLong();
                emitted = 0;
            }
        }
    }

    private void readerClosed() {
        synchronized (lock) {
            openReaders--;
        }
    }

    private void add(long records) {
        synchronized (lock) {
            emitted += records;
        }
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
        readerOpened();
        return new SplitReader<>() {
            private boolean closed;

            @Override
            public Status read(SourceOutput<T> out, int max) throws Exception {
                long allowed = allowed();
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
                add(count[0]);
                return s;
            }

            @Override
            public long offset() {
                return reader.offset();
            }

            @Override
            public long pendingRecords() {
                return reader.pendingRecords();
            }

            @Override
            public void notifyCheckpointComplete(long offset) {
                reader.notifyCheckpointComplete(offset);
            }

            @Override
            public void close() throws Exception {
                if (!closed) { // a task may close a reader that ended once more when it closes
                    closed = true;
                    readerClosed();
                }
                reader.close();
            }
        };
    }
}
