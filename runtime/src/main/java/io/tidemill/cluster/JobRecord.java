package io.tidemill.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * A job as the cluster remembers it, in the job map (JSON, with backups): enough for any master,
 * also a new one after a failover, to resume it. Written only by the master.
 */
final class JobRecord {
    public JobSpec spec;
    public String name;
    public String status;
    public long startTime;
    public long endTime;
    public int restarts;
    public String lastFailure;
    /** The largest number of members an execution of the job ran on (its quorum is a majority of it). */
    public int maxMembers;
    /** The first checkpoint id the next execution may use. */
    public long nextCheckpointId = 1;
    /** The newest checkpoint whose completion was recorded here (the commit point), 0: none. */
    public long lastCommitted;
    /** Where that checkpoint is ({@code <job id>/<prefix>}). */
    public String lastCommittedKey;
    public long executionId;
    public int checkpointsCompleted;
    public int checkpointsFailed;
    public int checkpointsAborted;
    /** The latest completed checkpoints, newest last (at most 10). */
    public List<Checkpoint> history = new ArrayList<>();

    public record Checkpoint(long id, String location, long durationMillis, long bytes) {}

    JobRecord() {}

    static JobRecord parse(String json) {
        try {
            return ControlPlane.JSON.readValue(json, JobRecord.class);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable job record: " + e.getMessage(), e);
        }
    }

    String json() {
        try {
            return ControlPlane.JSON.writeValueAsString(this);
        } catch (Exception e) {
            throw new IllegalStateException("cannot write job record", e);
        }
    }
}
