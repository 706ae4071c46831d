package io.tidemill.api;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A processing-time clock that only moves when told to, for deterministic tests of processing-time
 * windows, timers and idleness (see {@link ProcessingClock}). Safe to move from the test's thread
 * while tasks read it: a task sees a new time at its next step and fires what became due.
 */
public final class ManualClock implements ProcessingClock {
    private final AtomicLong now;

    /** A clock standing at {@code startMillis} (epoch milliseconds). */
    public ManualClock(long startMillis) {
        this.now = new AtomicLong(startMillis);
    }

    @Override
    public long now() {
        return now.get();
    }

    /** Moves the clock forward by {@code by}; returns the new time. */
    public long advance(Duration by) {
        if (by.isNegative()) {
            throw new IllegalArgumentException("processing time never goes back: " + by);
        }
        return now.addAndGet(by.toMillis());
    }

    /** Sets the clock to {@code millis}, which must not be before its current time. */
    public void set(long millis) {
        long before = now.getAndAccumulate(millis, Math::max);
        if (millis < before) {
            throw new IllegalArgumentException("processing time never goes back: " + millis + " < " + before);
        }
    }
}
