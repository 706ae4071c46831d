package io.tidemill.window;

import java.time.Duration;

/**
 * Decides when a window emits its result. The default fires once when time passes the window's end
 * (and again for each late record within the allowed lateness). Triggers are stateless; the window
 * operator keeps each window's element count for them.
 *
 * <pre>{@code
 * .trigger(Trigger.count(100))                         // every 100 records, no time firing
 * .trigger(Trigger.withEarlyFirings(Duration.ofSeconds(1)))  // on time, plus every second before
 * }</pre>
 */
public interface Trigger {
    /** What to do with a window after a trigger call. */
    enum Result {
        CONTINUE, FIRE, PURGE, FIRE_AND_PURGE;

        public boolean fires() {
            return this == FIRE || this == FIRE_AND_PURGE;
        }

        public boolean purges() {
            return this == PURGE || this == FIRE_AND_PURGE;
        }
    }

    /** What a trigger can see and do. */
    interface Context {
        long currentWatermark();

        long currentProcessingTime();

        /** Records in the window so far, including the current one. */
        long count();

        void registerEventTimeTimer(long time);

        void registerProcessingTimeTimer(long time);
    }

    Result onElement(long timestamp, TimeWindow window, Context ctx);

    Result onEventTime(long time, TimeWindow window, Context ctx);

    Result onProcessingTime(long time, TimeWindow window, Context ctx);

    /** Called for the result of a merge, after state was merged; re-register timers here. */
    default void onMerge(TimeWindow window, Context ctx) {}

    /** Fires when the watermark passes the window's end; late records re-fire the window. */
    static Trigger eventTime() {
        return EventTimeTrigger.INSTANCE;
    }

    /** Fires when the wall clock passes the window's end. */
    static Trigger processingTime() {
        return ProcessingTimeTrigger.INSTANCE;
    }

    /** Fires every {@code n} records in a window; time never fires it. */
    static Trigger count(long n) {
        if (n <= 0) {
            throw new IllegalArgumentException("count trigger needs a positive count, was " + n);
        }
        return new CountTrigger(n);
    }

    /** Event-time firing, plus early firings every {@code interval} of processing time. */
    static Trigger withEarlyFirings(Duration interval) {
        if (interval.toMillis() <= 0) {
            throw new IllegalArgumentException("early firing interval must be positive, was " + interval);
        }
        return new EarlyFiringTrigger(interval.toMillis());
    }

    /** See {@link Trigger#eventTime()}. */
    enum EventTimeTrigger implements Trigger {
        INSTANCE;

        @Override
        public Result onElement(long timestamp, TimeWindow window, Context ctx) {
            if (window.maxTimestamp() <= ctx.currentWatermark()) {
                return Result.FIRE;
            }
            ctx.registerEventTimeTimer(window.maxTimestamp());
            return Result.CONTINUE;
        }

        @Override
        public Result onEventTime(long time, TimeWindow window, Context ctx) {
            return time == window.maxTimestamp() ? Result.FIRE : Result.CONTINUE;
        }

        @Override
        public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
            return Result.CONTINUE;
        }

        @Override
        public void onMerge(TimeWindow window, Context ctx) {
            if (window.maxTimestamp() > ctx.currentWatermark()) {
                ctx.registerEventTimeTimer(window.maxTimestamp());
            }
        }
    }

    /** See {@link Trigger#processingTime()}. */
    enum ProcessingTimeTrigger implements Trigger {
        INSTANCE;

        @Override
        public Result onElement(long timestamp, TimeWindow window, Context ctx) {
            ctx.registerProcessingTimeTimer(window.maxTimestamp());
            return Result.CONTINUE;
        }

        @Override
        public Result onEventTime(long time, TimeWindow window, Context ctx) {
            return Result.CONTINUE;
        }

        @Override
        public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
            return time == window.maxTimestamp() ? Result.FIRE : Result.CONTINUE;
        }

        @Override
        public void onMerge(TimeWindow window, Context ctx) {
            ctx.registerProcessingTimeTimer(window.maxTimestamp());
        }
    }

    /** See {@link Trigger#count(long)}. */
    record CountTrigger(long n) implements Trigger {
        @Override
        public Result onElement(long timestamp, TimeWindow window, Context ctx) {
            return ctx.count() % n == 0 ? Result.FIRE : Result.CONTINUE;
        }

        @Override
        public Result onEventTime(long time, TimeWindow window, Context ctx) {
            return Result.CONTINUE;
        }

        @Override
        public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
            return Result.CONTINUE;
        }
    }

    /** See {@link Trigger#withEarlyFirings(Duration)}. */
    record EarlyFiringTrigger(long interval) implements Trigger {
        @Override
        public Result onElement(long timestamp, TimeWindow window, Context ctx) {
            Result onTime = EventTimeTrigger.INSTANCE.onElement(timestamp, window, ctx);
            if (ctx.count() == 1) {
                ctx.registerProcessingTimeTimer(ctx.currentProcessingTime() + interval);
            }
            return onTime;
        }

        @Override
        public Result onEventTime(long time, TimeWindow window, Context ctx) {
            return EventTimeTrigger.INSTANCE.onEventTime(time, window, ctx);
        }

        @Override
        public Result onProcessingTime(long time, TimeWindow window, Context ctx) {
            ctx.registerProcessingTimeTimer(time + interval);
            return Result.FIRE;
        }

        @Override
        public void onMerge(TimeWindow window, Context ctx) {
            EventTimeTrigger.INSTANCE.onMerge(window, ctx);
            ctx.registerProcessingTimeTimer(ctx.currentProcessingTime() + interval);
        }
    }
}
