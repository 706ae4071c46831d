package io.tidemill.cluster.api;

import java.util.List;

/** {@code GET /overview}: the cluster at a glance. */
public record Overview(String clusterName, int members, String master, int jobsRunning, int jobsFinished,
                       int jobsFailed, int jobsCancelled, String version) {
    /** The overview of a cluster whose jobs are in {@code statuses} (any not ended counts as running). */
    public static Overview of(String clusterName, int members, String master, List<JobStatus> statuses,
                              String version) {
        int running = 0;
        int finished = 0;
        int failed = 0;
        int cancelled = 0;
        for (JobStatus s : statuses) {
            switch (s) {
                case FINISHED -> finished++;
                case FAILED -> failed++;
                case CANCELLED -> cancelled++;
                default -> running++;
            }
        }
        return new Overview(clusterName, members, master, running, finished, failed, cancelled, version);
    }
}
