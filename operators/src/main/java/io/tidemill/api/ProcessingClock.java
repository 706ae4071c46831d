package io.tidemill.api;

/**
 * Where processing time comes from: the wall clock by default, or a {@link ManualClock} that a test
 * moves by hand. Everything that reads processing time in a job reads it here: processing-time
 * timers and windows, {@code currentProcessingTime()}, the records of a
 * {@code WatermarkStrategy.processingTime()} source, and idleness timeouts.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(0);
 * try (LocalCluster cluster = LocalCluster.start(2, clock)) {
 *     JobHandle job = cluster.submit(pipeline);
 *     clock.advance(Duration.ofSeconds(10));   // processing-time windows ending by then fire
 * }
 * }</pre>
 */
@FunctionalInterface
public interface ProcessingClock {
    /** The wall clock, {@link System#currentTimeMillis()}. */
    ProcessingClock SYSTEM = System::currentTimeMillis;

    /** The current processing time, epoch milliseconds; never decreases. Called from any thread. */
    long now();
}
