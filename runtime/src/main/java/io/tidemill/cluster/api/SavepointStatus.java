package io.tidemill.cluster.api;

/** A savepoint trigger: {@code status} is IN_PROGRESS, COMPLETED or FAILED; {@code location} once completed. */
public record SavepointStatus(String triggerId, String status, String location, String failure) {}
