package io.tidemill.window;

import java.time.Duration;
import java.util.Iterator;

/**
 * Keeps the records of a window less than {@code windowSize} older than its newest one, as Flink's
 * {@code TimeEvictor}: evicts every record whose timestamp is at or below
 * {@code max timestamp - windowSize}; before the window function, or after it with
 * {@code doEvictAfter}.
 */
public record TimeEvictor<T>(long windowSize, boolean doEvictAfter) implements Evictor.BeforeOrAfter<T> {
    public TimeEvictor {
        if (windowSize < 0) {
            throw new IllegalArgumentException("time evictor needs a size of at least 0, was " + windowSize + " ms");
        }
    }

    public static <T> TimeEvictor<T> of(Duration windowSize) {
        return new TimeEvictor<>(windowSize.toMillis(), false);
    }

    public static <T> TimeEvictor<T> of(Duration windowSize, boolean doEvictAfter) {
        return new TimeEvictor<>(windowSize.toMillis(), doEvictAfter);
    }

    @Override
    public void evict(Iterable<TimestampedValue<T>> elements, int size) {
        long max = Long.MIN_VALUE;
        for (TimestampedValue<T> e : elements) {
            max = Math.max(max, e.timestamp());
        }
        if (max == Long.MIN_VALUE) {
            return; // no records, or none with a timestamp
        }
        long cutoff = max - windowSize;
        for (Iterator<TimestampedValue<T>> it = elements.iterator(); it.hasNext(); ) {
            if (it.next().timestamp() <= cutoff) {
                it.remove();
            }
        }
    }
}
