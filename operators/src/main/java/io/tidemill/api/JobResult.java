package io.tidemill.api;

import java.time.Duration;

/**
 * What a finished job reports.
 *
 * @param recordsIn records read by all sources
 * @param lateRecordsDropped records left out of windows because they were late
 */
public record JobResult(String jobName, Duration duration, long recordsIn, long lateRecordsDropped) {}
