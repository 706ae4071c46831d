package io.tidemill.window;

import java.time.Duration;

/**
 * The default event-time trigger plus early firings every {@code interval} of processing time from
 * a window's first record on (see {@link Trigger#withEarlyFirings}). The next early firing time is
 * trigger state: it keeps the earliest when sessions merge and its timer is deleted with the window.
 */
public record EarlyFiringTrigger(long interval) implements Trigger {
    private static final State<Long> NEXT = State.min("early-firing");

    public EarlyFiringTrigger {
        if (interval <= 0) {
            throw new IllegalArgumentException("early firing interval must be positive, was " + interval + " ms");
        }
    }

    public static EarlyFiringTrigger of(Duration interval) {
        return new EarlyFiringTrigger(interval.toMillis());
    }

    @Override
    public Result onElement(long timestamp, TimeWindow window, Context ctx) {
        Result onTime = EventTimeTrigger.INSTANCE.onElement(timestamp, window, ctx);
        if (ctx.state(NEXT) == null) {
            schedule(ctx.currentProcessingTime(), ctx);
        }
        return onTime;
    }

    @Override
    public Result onEventTime(long time, TimeWindow window, Context ctx) {
        return EventTimeTrigger.INSTANCE.onEventTime(time, window, ctx);
    }

    @Override
    public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
        Long next = ctx.state(NEXT);
        if (next == null || next != time) {
            return Result.CONTINUE;
        }
        schedule(time, ctx);
        return Result.FIRE;
    }

    private void schedule(long from, Context ctx) {
        long next = from > Long.MAX_VALUE - interval ? Long.MAX_VALUE : from + interval;
        ctx.setState(NEXT, next);
        ctx.registerProcessingTimeTimer(next);
    }

    @Override
    public void onMerge(TimeWindow window, Context ctx) {
        EventTimeTrigger.INSTANCE.onMerge(window, ctx);
        ctx.mergeState(NEXT);
        Long next = ctx.state(NEXT);
        if (next != null) {
            ctx.registerProcessingTimeTimer(next);
        } else {
            schedule(ctx.currentProcessingTime(), ctx);
        }
    }

    @Override
    public void clear(TimeWindow window, Context ctx) {
        EventTimeTrigger.INSTANCE.clear(window, ctx);
        Long next = ctx.state(NEXT);
        if (next != null) {
            ctx.deleteProcessingTimeTimer(next);
            ctx.setState(NEXT, null);
        }
    }
}
