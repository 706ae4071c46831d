package io.tidemill.window;

import java.time.Duration;

/**
 * Fires every {@code interval} of event time while a window is open, and when the watermark passes
 * its end, as Flink's {@code ContinuousEventTimeTrigger}: the first record schedules a firing at the
 * end of its interval ({@code ts - ts % interval + interval}, capped at the window's last timestamp),
 * each firing schedules the next, and the next firing time is trigger state that keeps the earliest
 * when sessions merge.
 *
 * <pre>{@code
 * keyed.window(TumblingWindows.eventTime(Duration.ofHours(1)))
 *      .trigger(ContinuousEventTimeTrigger.of(Duration.ofMinutes(1)))
 * }</pre>
 */
public record ContinuousEventTimeTrigger(long interval) implements Trigger {
    private static final State<Long> NEXT = State.min("continuous-event-time");

    public ContinuousEventTimeTrigger {
        if (interval <= 0) {
            throw new IllegalArgumentException("continuous trigger interval must be positive, was " + interval + " ms");
        }
    }

    public static ContinuousEventTimeTrigger of(Duration interval) {
        return new ContinuousEventTimeTrigger(interval.toMillis());
    }

    @Override
    public Result onElement(long timestamp, TimeWindow window, Context ctx) {
        if (window.maxTimestamp() <= ctx.currentWatermark()) {
            return Result.FIRE; // the watermark already passed the window: fire at once
        }
        ctx.registerEventTimeTimer(window.maxTimestamp());
        if (ctx.state(NEXT) == null) {
            scheduleAfter(timestamp - Math.floorMod(timestamp, interval), window, ctx);
        }
        return Result.CONTINUE;
    }

    @Override
    public Result onEventTime(long time, TimeWindow window, Context ctx) {
        if (time == window.maxTimestamp()) {
            return Result.FIRE;
        }
        Long next = ctx.state(NEXT);
        if (next != null && next == time) {
            scheduleAfter(time, window, ctx);
            return Result.FIRE;
        }
        return Result.CONTINUE;
    }

    @Override
    public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
        return Result.CONTINUE;
    }

    private void scheduleAfter(long time, TimeWindow window, Context ctx) {
        long next = time > Long.MAX_VALUE - interval ? window.maxTimestamp()
                : Math.min(time + interval, window.maxTimestamp());
        ctx.setState(NEXT, next);
        ctx.registerEventTimeTimer(next);
    }

    @Override
    public void onMerge(TimeWindow window, Context ctx) {
        ctx.mergeState(NEXT);
        Long next = ctx.state(NEXT);
        if (next != null) {
            ctx.registerEventTimeTimer(next);
        }
        Trigger.eventTime().onMerge(window, ctx);
    }

    @Override
    public void clear(TimeWindow window, Context ctx) {
        Long next = ctx.state(NEXT);
        if (next != null) {
            ctx.deleteEventTimeTimer(next);
            ctx.setState(NEXT, null);
        }
        ctx.deleteEventTimeTimer(window.maxTimestamp());
    }
}
