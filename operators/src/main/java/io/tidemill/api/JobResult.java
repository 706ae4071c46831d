package io.tidemill.api;

import java.time.Duration;

/**
 * What a finished job reports.
 *
 * @param recordsIn records read by all sources
 * @param lateRecordsDropped records left out of windows because they were late
 * @param checkpointsCompleted checkpoints and savepoints completed, over all attempts of the job
 * @param checkpointsFailed checkpoints and savepoints that failed (not written, declined, timed out);
 *     those aborted because the job was ending are not counted
 */
public record JobResult(String jobName, Duration duration, long recordsIn, long lateRecordsDropped,
                        int checkpointsCompleted, int checkpointsFailed) {}
