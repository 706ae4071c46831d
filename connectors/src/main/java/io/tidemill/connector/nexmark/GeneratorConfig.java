package io.tidemill.connector.nexmark;

/**
 * Configuration of the {@link NexmarkGenerator}.
 *
 * @param seed                       the stream is a pure function of the seed and event index
 * @param firstEventTime             dateTime of event 0, epoch milliseconds
 * @param eventsPerSecondOfEventTime spacing of event times: event {@code i} has dateTime
 *                                   {@code firstEventTime + i * 1000 / eventsPerSecondOfEventTime}
 *                                   (so 10 000 puts events 0.1 ms apart); unrelated to how fast
 *                                   events are produced in wall-clock time
 */
public record GeneratorConfig(long seed, long firstEventTime, long eventsPerSecondOfEventTime) {

    /** dateTime of the first event by default: 2023-11-14T22:13:20Z. */
    public static final long DEFAULT_FIRST_EVENT_TIME = 1_700_000_000_000L;

    /** Default event-time density, as in the classic Nexmark generator. */
    public static final long DEFAULT_EVENTS_PER_SECOND = 10_000;

    /** Validates the configuration. */
    public GeneratorConfig {
        if (eventsPerSecondOfEventTime <= 0) {
            throw new IllegalArgumentException(
                    "eventsPerSecondOfEventTime must be positive, was " + eventsPerSecondOfEventTime);
        }
    }

    /** The default configuration with the given seed. */
    public static GeneratorConfig withSeed(long seed) {
        return new GeneratorConfig(seed, DEFAULT_FIRST_EVENT_TIME, DEFAULT_EVENTS_PER_SECOND);
    }
}
