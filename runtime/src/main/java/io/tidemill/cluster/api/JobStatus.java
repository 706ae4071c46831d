package io.tidemill.cluster.api;

/** A job's life: as Flink names its states, so that its users read them at once. */
public enum JobStatus {
    /** Being deployed (also while it waits for a quorum of members). */
    CREATED,
    RUNNING,
    /** An execution failed or lost a member; the next one starts after the restart delay. */
    RESTARTING,
    FINISHED,
    CANCELLED,
    FAILED;

    public boolean isTerminal() {
        return this == FINISHED || this == CANCELLED || this == FAILED;
    }
}
