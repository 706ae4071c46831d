package io.tidemill.local;

import java.time.Duration;

/**
 * Whether and when a failed job restarts from its latest completed checkpoint.
 *
 * @param maxRestarts restarts allowed in total (0: fail at the first failure)
 * @param initialDelay delay before the first restart
 * @param maxDelay upper bound of the delay
 * @param multiplier growth of the delay per restart (1: fixed delay)
 */
public record RestartStrategy(int maxRestarts, Duration initialDelay, Duration maxDelay, double multiplier) {
    public static final RestartStrategy NONE = new RestartStrategy(0, Duration.ZERO, Duration.ZERO, 1);

    public RestartStrategy {
        if (maxRestarts < 0 || initialDelay.isNegative() || maxDelay.compareTo(initialDelay) < 0 || multiplier < 1) {
            throw new IllegalArgumentException("invalid restart strategy: " + maxRestarts + " restarts, delay "
                    + initialDelay + " up to " + maxDelay + ", multiplier " + multiplier);
        }
    }

    public static RestartStrategy fixedDelay(int maxRestarts, Duration delay) {
        return new RestartStrategy(maxRestarts, delay, delay, 1);
    }

    public static RestartStrategy exponentialBackoff(int maxRestarts, Duration initial, Duration max) {
        return new RestartStrategy(maxRestarts, initial, max, 2);
    }

    /** The delay before restart number {@code restart} (1-based). */
    public Duration delayBefore(int restart) {
        double d = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, restart - 1));
        return Duration.ofMillis((long) Math.min(d, maxDelay.toMillis()));
    }
}
