package io.tidemill.window;

/**
 * Fires when {@code n} records have arrived in a window since it last fired, as Flink's
 * {@code CountTrigger}: it counts in trigger state, fires when the count is at least {@code n} and
 * then starts counting again. The window keeps its contents (wrap it in {@link PurgingTrigger} to
 * drop them at each firing). Counts of merging session windows add up, so a merge that jumps past
 * {@code n} fires with the next record. Time never fires it.
 *
 * <pre>{@code
 * keyed.window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(100)))
 * }</pre>
 */
public record CountTrigger(long n) implements Trigger {
    private static final State<Long> COUNT = State.sum("count");

    public CountTrigger {
        if (n <= 0) {
            throw new IllegalArgumentException("count trigger needs a positive count, was " + n);
        }
    }

    public static CountTrigger of(long n) {
        return new CountTrigger(n);
    }

    @Override
    public Result onElement(long timestamp, TimeWindow window, Context ctx) {
        Long before = ctx.state(COUNT);
        long count = (before == null ? 0 : before) + 1;
        if (count >= n) {
            ctx.setState(COUNT, null);
            return Result.FIRE;
        }
        ctx.setState(COUNT, count);
        return Result.CONTINUE;
    }

    @Override
    public Result onEventTime(long time, TimeWindow window, Context ctx) {
        return Result.CONTINUE;
    }

    @Override
    public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
        return Result.CONTINUE;
    }

    @Override
    public void onMerge(TimeWindow window, Context ctx) {
        ctx.mergeState(COUNT);
    }

    @Override
    public void clear(TimeWindow window, Context ctx) {
        ctx.setState(COUNT, null);
    }
}
