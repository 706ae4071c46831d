package io.tidemill.checkpoint;

import java.time.Duration;

/**
 * Checkpointing of a job; {@link #DISABLED} by default.
 *
 * @param interval time between the start of checkpoints
 * @param timeout a checkpoint not complete after this is aborted
 * @param minPause minimum time between the end of one checkpoint and the start of the next
 * @param retained completed checkpoints to keep (older ones are deleted)
 * @param mode alignment mode
 * @param tolerableFailures checkpoints that may fail in a row (not written, declined by a task, or timed
 *     out) before the job fails with the last one's cause; a completed checkpoint resets the count.
 *     Savepoints and checkpoints aborted because the job is ending do not count. Default
 *     {@value #DEFAULT_TOLERABLE_FAILURES}: a passing hiccup (one slow checkpoint) does not fail the
 *     job, a store that keeps failing (a full disk) does within a few intervals. 0: the first failure
 *     fails the job, as in Flink's default.
 */
public record CheckpointConfig(Duration interval, Duration timeout, Duration minPause, int retained, Mode mode,
                               int tolerableFailures) {
    /** Consecutive failed checkpoints a job tolerates unless configured otherwise. */
    public static final int DEFAULT_TOLERABLE_FAILURES = 3;

    /** How barriers are handled by tasks with several inputs. */
    public enum Mode {
        /** Aligned barriers: exactly-once state. */
        EXACTLY_ONCE,
        /** No alignment: records may be replayed after a restore (duplicates, no loss). */
        AT_LEAST_ONCE,
        /** Barriers overtake queued records, which are saved with the snapshot: fast under backpressure. */
        UNALIGNED
    }

    public static final CheckpointConfig DISABLED = new CheckpointConfig(null, Duration.ofMinutes(10), Duration.ZERO,
            3, Mode.EXACTLY_ONCE, DEFAULT_TOLERABLE_FAILURES);

    public CheckpointConfig {
        if (interval != null && (interval.isNegative() || interval.isZero())) {
            throw new IllegalArgumentException("checkpoint interval must be positive, was " + interval);
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("checkpoint timeout must be positive, was " + timeout);
        }
        if (minPause.isNegative()) {
            throw new IllegalArgumentException("minimum pause must not be negative, was " + minPause);
        }
        if (retained < 1) {
            throw new IllegalArgumentException("retained checkpoints must be at least 1, was " + retained);
        }
        if (tolerableFailures < 0) {
            throw new IllegalArgumentException("tolerable checkpoint failures must not be negative, was "
                    + tolerableFailures);
        }
    }

    /**
     * Checkpoints every {@code interval}, exactly-once, 10 minute timeout, last 3 kept,
     * {@value #DEFAULT_TOLERABLE_FAILURES} failed checkpoints in a row tolerated.
     */
    public static CheckpointConfig every(Duration interval) {
        return new CheckpointConfig(interval, Duration.ofMinutes(10), Duration.ZERO, 3, Mode.EXACTLY_ONCE,
                DEFAULT_TOLERABLE_FAILURES);
    }

    public CheckpointConfig withMode(Mode m) {
        return new CheckpointConfig(interval, timeout, minPause, retained, m, tolerableFailures);
    }

    public CheckpointConfig withTimeout(Duration t) {
        return new CheckpointConfig(interval, t, minPause, retained, mode, tolerableFailures);
    }

    public CheckpointConfig withMinPause(Duration p) {
        return new CheckpointConfig(interval, timeout, p, retained, mode, tolerableFailures);
    }

    public CheckpointConfig withRetained(int n) {
        return new CheckpointConfig(interval, timeout, minPause, n, mode, tolerableFailures);
    }

    /** See {@link #tolerableFailures}. */
    public CheckpointConfig withTolerableFailures(int n) {
        return new CheckpointConfig(interval, timeout, minPause, retained, mode, n);
    }

    public boolean enabled() {
        return interval != null;
    }
}
