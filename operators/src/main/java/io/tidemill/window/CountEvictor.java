package io.tidemill.window;

import java.util.Iterator;

/**
 * Keeps the last {@code maxCount} records of a window, evicting the oldest (those added first), as
 * Flink's {@code CountEvictor}: before the window function, or after it with {@code doEvictAfter}.
 */
public record CountEvictor<T>(long maxCount, boolean doEvictAfter) implements Evictor.BeforeOrAfter<T> {
    public CountEvictor {
        if (maxCount < 0) {
            throw new IllegalArgumentException("count evictor needs a count of at least 0, was " + maxCount);
        }
    }

    public static <T> CountEvictor<T> of(long maxCount) {
        return new CountEvictor<>(maxCount, false);
    }

    public static <T> CountEvictor<T> of(long maxCount, boolean doEvictAfter) {
        return new CountEvictor<>(maxCount, doEvictAfter);
    }

    @Override
    public void evict(Iterable<TimestampedValue<T>> elements, int size) {
        long evict = size - maxCount;
        Iterator<TimestampedValue<T>> it = elements.iterator();
        for (long i = 0; i < evict && it.hasNext(); i++) {
            it.next();
            it.remove();
        }
    }
}
