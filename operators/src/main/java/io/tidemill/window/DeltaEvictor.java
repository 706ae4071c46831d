package io.tidemill.window;

import java.util.Iterator;

/**
 * Evicts the records of a window whose delta to its last record is at least {@code threshold}, as
 * Flink's {@code DeltaEvictor}; before the window function, or after it with {@code doEvictAfter}.
 *
 * <pre>{@code
 * .evictor(DeltaEvictor.of(10.0, (Reading a, Reading b) -> Math.abs(a.value() - b.value())))
 * }</pre>
 */
public record DeltaEvictor<T>(double threshold, DeltaFunction<T> delta, boolean doEvictAfter) implements Evictor.BeforeOrAfter<T> {
    /** The distance between two records. */
    @FunctionalInterface
    public interface DeltaFunction<T> {
        double delta(T oldRecord, T newRecord);
    }

    public static <T> DeltaEvictor<T> of(double threshold, DeltaFunction<T> delta) {
        return new DeltaEvictor<>(threshold, delta, false);
    }

    public static <T> DeltaEvictor<T> of(double threshold, DeltaFunction<T> delta, boolean doEvictAfter) {
        return new DeltaEvictor<>(threshold, delta, doEvictAfter);
    }

    @Override
    public void evict(Iterable<TimestampedValue<T>> elements, int size) {
        TimestampedValue<T> last = null;
        for (TimestampedValue<T> e : elements) {
            last = e;
        }
        if (last == null) {
            return;
        }
        for (Iterator<TimestampedValue<T>> it = elements.iterator(); it.hasNext(); ) {
            if (delta.delta(it.next().value(), last.value()) >= threshold) {
                it.remove();
            }
        }
    }
}
