package io.tidemill.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A control-plane message between the job master and the members, carried as JSON over Hazelcast
 * topics (never Java serialization). One flat shape for all kinds; each kind uses the fields its
 * javadoc names, the others are null or zero.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
record ControlMessage(
        Kind kind,
        /** The sending member's uuid. */
        String from,
        String jobId,
        long executionId,
        long checkpointId,
        /** INJECT: where the blobs go; ACK: the blob's key. */
        String key,
        int task,
        long bytes,
        long syncNanos,
        long alignNanos,
        /** Failure or decline reasons. */
        String text,
        Deploy deploy) {

    enum Kind {
        /** master → member: build your subtasks of an execution (not yet running). */
        DEPLOY,
        /** member → master: built and wired; or, with {@code text}, refused (plan differs, class missing). */
        DEPLOYED,
        /** master → member: run the deployed execution. */
        START,
        /** master → member: cancel an execution ({@code executionId} 0: every execution of the job). */
        CANCEL,
        /** member → master: no task of the job's executions older than {@code executionId} runs here. */
        IDLE,
        /** master → member: inject barrier {@code checkpointId} (blobs under {@code key}) at your sources. */
        INJECT,
        /** member → master: task {@code task} stored its snapshot blob {@code key}. */
        ACK,
        /** member → master: a task could not write its snapshot. */
        DECLINE,
        /** master → member: checkpoint {@code checkpointId} completed (sinks commit). */
        COMPLETE,
        /** member → master: the execution failed here ({@code text}); {@code key}: a peer it lost, if any. */
        FAILED,
        /** member → master: a source finished, no new checkpoints. */
        SOURCE_ENDED,
        /** member → master: every local task of the execution ended ({@code text}: the failure, if any). */
        FINISHED,
        /** member → master: progress of the local tasks (records, watermarks), see {@link Deploy#stats}. */
        STATS
    }

    /**
     * What a member needs to run its part of an execution.
     *
     * @param placement the member uuid of every task, by global task index
     * @param dataAddresses each member's data-plane address ({@code host:port})
     * @param vertices the master's description of each vertex, to compare with the member's own plan
     * @param restoreKey the snapshot to restore, or null
     * @param quorum the fewest members the execution may run with
     * @param stats STATS only: per task of the member {@code [task index, watermark, records in, records out,
     *        busy microseconds, backpressured microseconds]} (a member of an older version sends the first three)
     */
    record Deploy(JobSpec spec, List<String> placement, Map<String, String> dataAddresses, List<String> vertices,
                  String restoreKey, int quorum, List<long[]> stats) {}

    static ControlMessage of(Kind kind, String from, String jobId, long executionId) {
        return new ControlMessage(kind, from, jobId, executionId, 0, null, 0, 0, 0, 0, null, null);
    }

    ControlMessage withCheckpoint(long id, String key) {
        return new ControlMessage(kind, from, jobId, executionId, id, key, task, bytes, syncNanos, alignNanos, text,
                deploy);
    }

    ControlMessage withText(String t) {
        return new ControlMessage(kind, from, jobId, executionId, checkpointId, key, task, bytes, syncNanos,
                alignNanos, t, deploy);
    }

    ControlMessage withDeploy(Deploy d) {
        return new ControlMessage(kind, from, jobId, executionId, checkpointId, key, task, bytes, syncNanos,
                alignNanos, text, d);
    }
}
