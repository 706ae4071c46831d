package io.tidemill.cluster.api;

import java.util.List;
import java.util.Optional;

/**
 * What a node offers its REST API and CLI. Calls that change jobs or read their state are answered
 * by the job master; {@link #isMaster()} tells the REST layer whether to answer here or forward the
 * request to {@link #masterUrl()}. Methods throw {@link ApiException} for requests that are wrong
 * (unknown job, bad argument), never for the caller's success path.
 *
 * <p>Threads: the REST API calls {@link #isMaster()} and {@link #masterUrl()} on a Vert.x event loop
 * for every job request, so both must answer from memory without blocking; it calls every other
 * method on a worker thread, and several at once.
 */
public interface ClusterService {
    /** True if this node is the job master (the oldest member). */
    boolean isMaster();

    /** The master's REST base URL ({@code http://host:port}), or null while there is none. */
    String masterUrl();

    /** True once the node has joined its cluster and can take jobs. */
    boolean ready();

    Overview overview();

    List<MemberView> members();

    /** This node's data connections and their counters (answered by the node asked, never forwarded). */
    ExchangeStats exchange();

    /** Starts a job; returns its id. */
    String submit(SubmitRequest request) throws ApiException;

    List<JobSummary> jobs();

    Optional<JobDetails> job(String jobId);

    void cancel(String jobId) throws ApiException;

    /** Triggers a savepoint into {@code directory} (null: the job's store); returns the trigger id. */
    String triggerSavepoint(String jobId, String directory) throws ApiException;

    /** A savepoint's progress, also after a master failover. */
    Optional<SavepointStatus> savepoint(String jobId, String triggerId) throws ApiException;

    /**
     * Takes a savepoint (into {@code directory}; null: the job's store) and stops the job once it
     * completed; returns the trigger id.
     */
    String stop(String jobId, String directory) throws ApiException;

    /** Takes a savepoint and restarts the job from it at {@code parallelism}; returns the trigger id. */
    String rescale(String jobId, int parallelism) throws ApiException;

    CheckpointStats checkpoints(String jobId) throws ApiException;

    /** Stores a job jar in the cluster once; returns its id for {@link SubmitRequest#jarId}. */
    String uploadJar(String fileName, byte[] jar) throws ApiException;

    /**
     * This node's metrics in Prometheus text format, for {@code GET /metrics}; may block (a worker
     * thread calls it). By default none.
     */
    default String metrics() {
        return "";
    }
}
