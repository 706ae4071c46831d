package io.tidemill.cluster.api;

/** A job as {@code GET /jobs} lists it; {@code status} is one of {@link JobStatus}'s names. */
public record JobSummary(String id, String name, String status, long startTime, int parallelism, int restarts) {}
