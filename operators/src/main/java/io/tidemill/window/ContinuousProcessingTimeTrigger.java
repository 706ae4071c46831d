package io.tidemill.window;

import java.time.Duration;

/**
 * Fires every {@code interval} of processing time while a window is open, as Flink's
 * {@code ContinuousProcessingTimeTrigger}: the first record schedules a firing at the end of the
 * current interval of the clock ({@code now - now % interval + interval}, capped at the window's last
 * timestamp), each firing schedules the next, and the next firing time is trigger state that keeps
 * the earliest when sessions merge. Meant for processing-time windows (the cap is the window's end
 * on the clock); for early results of event-time windows use {@link Trigger#withEarlyFirings}.
 *
 * <pre>{@code
 * keyed.window(GlobalWindows.create())
 *      .trigger(ContinuousProcessingTimeTrigger.of(Duration.ofSeconds(5)))
 * }</pre>
 */
public record ContinuousProcessingTimeTrigger(long interval) implements Trigger {
    private static final State<Long> NEXT = State.min("continuous-processing-time");

    public ContinuousProcessingTimeTrigger {
        if (interval <= 0) {
            throw new IllegalArgumentException("continuous trigger interval must be positive, was " + interval + " ms");
        }
    }

    public static ContinuousProcessingTimeTrigger of(Duration interval) {
        return new ContinuousProcessingTimeTrigger(interval.toMillis());
    }

    @Override
    public Result onElement(long timestamp, TimeWindow window, Context ctx) {
        if (ctx.state(NEXT) == null) {
            long now = ctx.currentProcessingTime();
            scheduleAfter(now - Math.floorMod(now, interval), window, ctx);
        }
        return Result.CONTINUE;
    }

    @Override
    public Result onEventTime(long time, TimeWindow window, Context ctx) {
        return Result.CONTINUE;
    }

    @Override
    public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
        Long next = ctx.state(NEXT);
        if (next != null && next == time) {
            if (time < window.maxTimestamp()) {
                scheduleAfter(time, window, ctx);
            } else {
                ctx.setState(NEXT, null); // the window's end: no firing after it
            }
            return Result.FIRE;
        }
        return Result.CONTINUE;
    }

    private void scheduleAfter(long time, TimeWindow window, Context ctx) {
        long next = time > Long.MAX_VALUE - interval ? window.maxTimestamp()
                : Math.min(time + interval, window.maxTimestamp());
        ctx.setState(NEXT, next);
        ctx.registerProcessingTimeTimer(next);
    }

    @Override
    public void onMerge(TimeWindow window, Context ctx) {
        ctx.mergeState(NEXT);
        Long next = ctx.state(NEXT);
        if (next != null) {
            ctx.registerProcessingTimeTimer(next);
        }
    }

    @Override
    public void clear(TimeWindow window, Context ctx) {
        Long next = ctx.state(NEXT);
        if (next != null) {
            ctx.deleteProcessingTimeTimer(next);
            ctx.setState(NEXT, null);
        }
    }
}
