package io.tidemill.bench.baseline;

/**
 * Summary of one baseline run.
 *
 * @param events    well-formed events processed
 * @param malformed lines skipped as malformed
 * @param late      events left out of a window that had already fired
 * @param rows      output rows written
 * @param nanos     wall-clock time of the run, reading and writing included
 */
public record BaselineResult(long events, long malformed, long late, long rows, long nanos) {

    /** Events per second of wall-clock time. */
    public double eventsPerSecond() {
        return nanos == 0 ? 0 : events * 1e9 / nanos;
    }
}
