package io.tidemill.api.source;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * A source computing record {@code i} from its index with a pure function, bounded ({@code count}
 * records) or unbounded ({@code count < 0}), optionally rate limited. Split {@code s} of {@code n}
 * produces indices {@code s, s+n, s+2n, ...}, so the set of records is the same at any parallelism.
 */
public final class GeneratorSource<T> implements Source<T> {
    private final long count;
    private final long recordsPerSecond;
    private final LongFunction<T> generator;

    private GeneratorSource(long count, long recordsPerSecond, LongFunction<T> generator) {
        this.count = count;
        this.recordsPerSecond = recordsPerSecond;
        this.generator = generator;
    }

    /** {@code count} records, as fast as possible. */
    public static <T> GeneratorSource<T> bounded(long count, LongFunction<T> generator) {
        return new GeneratorSource<>(count, 0, generator);
    }

    /** Records without end, at most {@code recordsPerSecond} in total ({@code 0}: unlimited). */
    public static <T> GeneratorSource<T> unbounded(long recordsPerSecond, LongFunction<T> generator) {
        return new GeneratorSource<>(-1, recordsPerSecond, generator);
    }

    /** The same source with a total rate limit ({@code 0}: unlimited). */
    public GeneratorSource<T> withRate(long recordsPerSecond) {
        return new GeneratorSource<>(count, recordsPerSecond, generator);
    }

    @Override
    public boolean isBounded() {
        return count >= 0;
    }

    @Override
    public List<Stride> createSplits(int parallelism) {
        List<Stride> splits = new ArrayList<>();
        for (int i = 0; i < parallelism; i++) {
            splits.add(new Stride(i, parallelism));
        }
        return splits;
    }

    @Override
    public SplitReader<T> createReader(SourceSplit split, long offset) {
        Stride s = (Stride) split;
        double perSplitRate = recordsPerSecond / (double) s.of;
        return new SplitReader<>() {
            private long emitted = offset;
            private final long startNanos = System.nanoTime();
            private final long startOffset = offset;

            @Override
            public long pendingRecords() {
                if (count < 0) {
                    return -1;
                }
                long inStride = count <= s.index ? 0 : (count - s.index + s.of - 1) / s.of;
                return Math.max(0, inStride - emitted);
            }

            @Override
            public Status read(SourceOutput<T> out, int max) {
                long budget = max;
                if (perSplitRate > 0) {
                    double elapsed = (System.nanoTime() - startNanos) / 1e9;
                    long allowed = (long) (elapsed * perSplitRate) + 1 - (emitted - startOffset);
                    if (allowed <= 0) {
                        return Status.NOTHING_AVAILABLE;
                    }
                    budget = Math.min(budget, allowed);
                }
                for (long i = 0; i < budget; i++) {
                    long index = s.index + emitted * s.of;
                    if (count >= 0 && index >= count) {
                        return Status.END;
                    }
                    out.collect(generator.apply(index));
                    emitted++;
                }
                return count >= 0 && s.index + emitted * s.of >= count ? Status.END : Status.MORE;
            }

            @Override
            public long offset() {
                return emitted;
            }
        };
    }

    /** Indices {@code index, index + of, index + 2*of, ...}. */
    public record Stride(int index, int of) implements SourceSplit {
        @Override
        public String splitId() {
            return "stride-" + index + "-of-" + of;
        }
    }
}
