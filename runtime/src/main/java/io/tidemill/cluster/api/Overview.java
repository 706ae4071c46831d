package io.tidemill.cluster.api;

/** {@code GET /overview}: the cluster at a glance. */
public record Overview(String clusterName, int members, String master, int jobsRunning, int jobsFinished,
                       int jobsFailed, int jobsCancelled, String version) {}
