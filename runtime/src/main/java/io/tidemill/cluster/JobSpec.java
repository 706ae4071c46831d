package io.tidemill.cluster;

import java.util.List;

/**
 * What a job is, as stored in the cluster's job map and sent with every deployment: enough for any
 * node to build the same pipeline and run it the same way.
 *
 * @param checkpointMode {@code exactly-once}, {@code unaligned} or {@code at-least-once}
 * @param savepoint the snapshot the job started from ({@code jobId/prefix}), or null
 */
record JobSpec(String id, String className, List<String> args, int parallelism, String jarId,
               long checkpointIntervalMillis, String checkpointMode, int restartAttempts, long restartDelayMillis,
               String savepoint) {}
