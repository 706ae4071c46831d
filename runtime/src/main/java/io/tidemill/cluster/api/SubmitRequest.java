package io.tidemill.cluster.api;

import java.util.List;

/**
 * {@code POST /jobs}: the job class (an implementation of {@code io.tidemill.api.StreamJob}) on the
 * nodes' classpath or in the jar {@code jarId}, its arguments and how to run it.
 *
 * @param checkpointIntervalMillis 0: no checkpoints
 * @param checkpointMode {@code exactly-once} (aligned, the default), {@code unaligned} or {@code at-least-once}
 * @param restartAttempts restarts after failures before the job fails (default 3 when null)
 * @param restartDelayMillis delay before a restart (default 500 when null)
 * @param savepoint the savepoint or checkpoint prefix to start from, or null
 */
public record SubmitRequest(String className, List<String> args, int parallelism, String jarId,
                            long checkpointIntervalMillis, String checkpointMode, Integer restartAttempts,
                            Long restartDelayMillis, String savepoint) {
    public SubmitRequest {
        args = args == null ? List.of() : List.copyOf(args);
    }
}
