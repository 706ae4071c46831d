package io.tidemill.window;

/**
 * Removes records from a window when it fires, before the window function sees them, after it, or
 * both, as Flink's {@code Evictor}. A window with an evictor keeps all its records (with their
 * timestamps) and applies the aggregate, reduce or process function to what remains at each firing;
 * evicted records are gone from the window for later firings too.
 *
 * <pre>{@code
 * keyed.window(GlobalWindows.create())
 *      .trigger(CountTrigger.of(1))
 *      .evictor(CountEvictor.of(10))      // every record: the last 10 records
 *      .aggregate(Aggregates.count());
 * }</pre>
 *
 * <p>Elements come in the order they were added (merged sessions: one window's after the
 * other's); remove with the iterator's {@code remove}.
 *
 * @param <T> record type
 */
public interface Evictor<T> {
    /** Before the window function: evict from {@code elements} ({@code size} of them). */
    void evictBefore(Iterable<TimestampedValue<T>> elements, int size, TimeWindow window, Context ctx);

    /** After the window function: evict from {@code elements} ({@code size} of them). */
    void evictAfter(Iterable<TimestampedValue<T>> elements, int size, TimeWindow window, Context ctx);

    /**
     * An evictor that evicts once per firing, before the function or, with {@code doEvictAfter},
     * after it (as the evictors Flink ships).
     */
    interface BeforeOrAfter<T> extends Evictor<T> {
        boolean doEvictAfter();

        void evict(Iterable<TimestampedValue<T>> elements, int size);

        @Override
        default void evictBefore(Iterable<TimestampedValue<T>> elements, int size, TimeWindow window, Context ctx) {
            if (!doEvictAfter()) {
                evict(elements, size);
            }
        }

        @Override
        default void evictAfter(Iterable<TimestampedValue<T>> elements, int size, TimeWindow window, Context ctx) {
            if (doEvictAfter()) {
                evict(elements, size);
            }
        }
    }

    /** What an evictor can see. */
    interface Context {
        long currentWatermark();

        long currentProcessingTime();
    }
}
