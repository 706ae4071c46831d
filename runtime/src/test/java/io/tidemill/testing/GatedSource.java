package io.tidemill.testing;

import io.tidemill.api.source.Source;
import io.tidemill.api.source.SourceOutput;
import io.tidemill.api.source.SourceSplit;
import io.tidemill.api.source.SplitReader;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An unbounded single-split source of events of one key at timestamps {@code 0, step, 2*step, ...}
 * that emits only up to the timestamp the test opens the gate to; past it, it has nothing available.
 * The test thus decides how far this input's event time (and so its watermark) advances.
 */
public final class GatedSource implements Source<Event> {
    private static final SourceSplit ONLY = new Only("gated");

    /** The one split: a record, so that a checkpoint can hold it. */
    private record Only(String splitId) implements SourceSplit {}
    private final String key;
    private final long step;
    private final AtomicLong gate;

    /** @param gate the largest timestamp the source may emit; raise it to let the source go on */
    public GatedSource(String key, long step, AtomicLong gate) {
        this.key = key;
        this.step = step;
        this.gate = gate;
    }

    @Override
    public boolean isBounded() {
        return false;
    }

    @Override
    public List<SourceSplit> createSplits(int parallelism) {
        return List.of(ONLY);
    }

    @Override
    public SplitReader<Event> createReader(SourceSplit split, long offset) {
        return new SplitReader<>() {
            private long next = offset;

            @Override
            public Status read(SourceOutput<Event> out, int max) {
                long open = gate.get();
                int n = 0;
                while (n < max && next * step <= open) {
                    out.collect(new Event(key, next * step));
                    next++;
                    n++;
                }
                return n > 0 ? Status.MORE : Status.NOTHING_AVAILABLE;
            }

            @Override
            public long offset() {
                return next;
            }
        };
    }
}
