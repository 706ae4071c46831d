package io.tidemill.window;

/**
 * Turns every firing of another trigger into a firing that also purges the window's contents, as
 * Flink's {@code PurgingTrigger}: each record is emitted by one firing only. The nested trigger's
 * own state is not touched by the purge.
 *
 * <pre>{@code
 * .trigger(PurgingTrigger.of(CountTrigger.of(3)))   // tumbling windows of 3 records
 * }</pre>
 */
public record PurgingTrigger(Trigger nested) implements Trigger {
    public static PurgingTrigger of(Trigger nested) {
        if (nested == null) {
            throw new IllegalArgumentException("PurgingTrigger needs a trigger to wrap");
        }
        return new PurgingTrigger(nested);
    }

    private static Result purging(Result r) {
        return r.fires() ? Result.FIRE_AND_PURGE : r;
    }

    @Override
    public Result onElement(long timestamp, TimeWindow window, Context ctx) {
        return purging(nested.onElement(timestamp, window, ctx));
    }

    @Override
    public Result onElement(Object record, long timestamp, TimeWindow window, Context ctx) {
        return purging(nested.onElement(record, timestamp, window, ctx));
    }

    @Override
    public Result onEventTime(long time, TimeWindow window, Context ctx) {
        return purging(nested.onEventTime(time, window, ctx));
    }

    @Override
    public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
        return purging(nested.onProcessingTime(time, window, ctx));
    }

    @Override
    public boolean canMerge() {
        return nested.canMerge();
    }

    @Override
    public void onMerge(TimeWindow window, Context ctx) {
        nested.onMerge(window, ctx);
    }

    @Override
    public void clear(TimeWindow window, Context ctx) {
        nested.clear(window, ctx);
    }
}
