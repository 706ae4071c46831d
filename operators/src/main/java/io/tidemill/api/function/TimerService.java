package io.tidemill.api.function;

/** Time and timers of a keyed function; timers are scoped to the current key. */
public interface TimerService {
    long currentWatermark();

    long currentProcessingTime();

    void registerEventTimeTimer(long time);

    void registerProcessingTimeTimer(long time);

    void deleteEventTimeTimer(long time);

    void deleteProcessingTimeTimer(long time);
}
