package io.tidemill.window;

import java.time.Duration;
import java.util.function.BinaryOperator;

/**
 * Decides when a window emits its result. The default fires once when time passes the window's end
 * (and again for each late record within the allowed lateness). A trigger keeps what it must remember
 * per window (a count, the next firing time) in {@linkplain State trigger state}, which lives as long
 * as its window, merges when session windows merge ({@link #onMerge}) and is checkpointed with it.
 *
 * <pre>{@code
 * .trigger(Trigger.count(100))                                  // every 100 records, no time firing
 * .trigger(PurgingTrigger.of(CountTrigger.of(100)))             // every 100 records, each once
 * .trigger(Trigger.withEarlyFirings(Duration.ofSeconds(1)))     // on time, plus every second before
 * .trigger(ContinuousEventTimeTrigger.of(Duration.ofMinutes(1))) // every minute of event time
 * }</pre>
 *
 * <p>A trigger object is shared by all windows (and all subtasks) of its operator: keep nothing
 * per window in its fields, only in trigger state.
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

    /**
     * A value a trigger keeps per key and window, named uniquely within the trigger (composed
     * triggers use distinct names). Values are replaced, never changed in place, and must be
     * encodable by the state codec (boxed primitives, strings, records, lists, maps...).
     *
     * @param merge combines the values of windows that merge into one (see {@link Context#mergeState})
     * @param <S> value type
     */
    record State<S>(String name, BinaryOperator<S> merge) {
        /** A long that adds up when windows merge (a count). */
        public static State<Long> sum(String name) {
            return new State<>(name, Long::sum);
        }

        /** A long that keeps the smaller value when windows merge (a next firing time). */
        public static State<Long> min(String name) {
            return new State<>(name, Math::min);
        }
    }

    /** What a trigger can see and do, for the window of the call. */
    interface Context {
        long currentWatermark();

        long currentProcessingTime();

        /** Records in the window's contents, including the current one (0 after a purge). */
        long count();

        void registerEventTimeTimer(long time);

        void registerProcessingTimeTimer(long time);

        void deleteEventTimeTimer(long time);

        void deleteProcessingTimeTimer(long time);

        /** This window's value of {@code state}, or null if it has none. */
        <S> S state(State<S> state);

        /** Sets this window's value of {@code state}; null clears it. */
        <S> void setState(State<S> state, S value);

        /**
         * In {@link Trigger#onMerge} only: sets this window's value of {@code state} to the merge of
         * the values the merged windows had (windows without one are left out).
         */
        <S> void mergeState(State<S> state);
    }

    /** Called for each record added to the window (after it was added). */
    Result onElement(long timestamp, TimeWindow window, Context ctx);

    /**
     * As {@link #onElement(long, TimeWindow, Context)}, with the record itself (Flink's
     * {@code onElement(element, timestamp, window, ctx)}): the window operator calls this one, which
     * by default ignores the record. Override it for a trigger that looks at records.
     */
    default Result onElement(Object record, long timestamp, TimeWindow window, Context ctx) {
        return onElement(timestamp, window, ctx);
    }

    Result onEventTime(long time, TimeWindow window, Context ctx);

    Result onProcessingTime(long time, TimeWindow window, Context ctx);

    /**
     * True if the trigger can be used with merging (session) windows: its state merges in
     * {@link #onMerge}. A stateless trigger merges trivially.
     */
    default boolean canMerge() {
        return true;
    }

    /**
     * Called for the result of a merge, after the window contents merged and before the record that
     * caused the merge is added: merge state ({@link Context#mergeState}) and re-register timers
     * here. The merged windows' timers are gone and their state is dropped unless merged here.
     */
    default void onMerge(TimeWindow window, Context ctx) {}

    /**
     * Called when the window is removed at its cleanup time: delete the timers and state the
     * trigger keeps for it (Flink's {@code Trigger.clear}). Trigger state left here is dropped
     * with the window anyway.
     */
    default void clear(TimeWindow window, Context ctx) {}

    /** Fires when the watermark passes the window's end; late records re-fire the window. */
    static Trigger eventTime() {
        return EventTimeTrigger.INSTANCE;
    }

    /** Fires when the wall clock passes the window's end. */
    static Trigger processingTime() {
        return ProcessingTimeTrigger.INSTANCE;
    }

    /** Never fires: the default of {@link GlobalWindows}, which fire only by a trigger set on them. */
    static Trigger never() {
        return NeverTrigger.INSTANCE;
    }

    /** Fires when {@code n} records arrived since the last firing; see {@link CountTrigger}. */
    static Trigger count(long n) {
        return CountTrigger.of(n);
    }

    /** Event-time firing, plus early firings every {@code interval} of processing time. */
    static Trigger withEarlyFirings(Duration interval) {
        return EarlyFiringTrigger.of(interval);
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
            // As Flink: no timer once the watermark passed the merged end, or onElement's FIRE and
            // the timer would fire it twice.
            if (window.maxTimestamp() > ctx.currentWatermark()) {
                ctx.registerEventTimeTimer(window.maxTimestamp());
            }
        }

        @Override
        public void clear(TimeWindow window, Context ctx) {
            ctx.deleteEventTimeTimer(window.maxTimestamp());
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

        @Override
        public void clear(TimeWindow window, Context ctx) {
            ctx.deleteProcessingTimeTimer(window.maxTimestamp());
        }
    }

    /** See {@link Trigger#never()}. */
    enum NeverTrigger implements Trigger {
        INSTANCE;

        @Override
        public Result onElement(long timestamp, TimeWindow window, Context ctx) {
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
    }
}
