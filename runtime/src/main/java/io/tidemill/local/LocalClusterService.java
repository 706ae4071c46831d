package io.tidemill.local;

import io.tidemill.cli.Tidemill;
import io.tidemill.cluster.api.ApiException;
import io.tidemill.cluster.api.CheckpointStats;
import io.tidemill.cluster.api.ClusterService;
import io.tidemill.cluster.api.ExchangeStats;
import io.tidemill.cluster.api.JobDetails;
import io.tidemill.cluster.api.JobStatus;
import io.tidemill.cluster.api.JobSummary;
import io.tidemill.cluster.api.JobViews;
import io.tidemill.cluster.api.MemberView;
import io.tidemill.cluster.api.Overview;
import io.tidemill.cluster.api.SavepointStatus;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.task.TaskStats;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The {@link ClusterService} of an embedded run, so that it serves what a node's REST API serves (and
 * the web dashboard on it): one local member, the jobs {@link #add added} to it with their graphs,
 * figures and checkpoints, savepoint, stop and cancel, and the run's metrics. Jobs are started by the
 * program that embeds it, never through the API: submitting and uploading jars answer 405.
 *
 * <pre>{@code
 * LocalClusterService service = new LocalClusterService("nexmark", metrics.registry()::scrape);
 * try (RestApi api = RestApi.standalone("0.0.0.0", 8081, service)) {
 *     service.add(cluster.submit(pipeline, options), options);
 *     ...
 * }
 * }</pre>
 */
public final class LocalClusterService implements ClusterService {
    /** The member's id, and the placement of every subtask. */
    public static final String MEMBER = "local";
    /** Completed checkpoints shown, newest last: as many as a cluster's job record keeps. */
    private static final int HISTORY = 10;

    /** A job of this run: savepoints by trigger id, and whether it has a snapshot store to take them. */
    private record Entry(String id, JobHandle job, long startTime, AtomicLong endTime, boolean snapshotStore,
                         Map<String, CompletableFuture<CheckpointCoordinator.Completed>> savepoints) {}

    private final String clusterName;
    private final Supplier<String> metrics;
    /** In order of addition. */
    private final List<Entry> jobs = Collections.synchronizedList(new ArrayList<>());
    private volatile int httpPort;

    /**
     * @param clusterName what {@code /overview} calls this run
     * @param metrics the run's metrics in Prometheus text format, for {@code GET /metrics}
     */
    public LocalClusterService(String clusterName, Supplier<String> metrics) {
        this.clusterName = clusterName;
        this.metrics = metrics;
    }

    /** Shows {@code job}, started with {@code options}, from now on; returns its id. */
    public String add(JobHandle job, JobOptions options) {
        String id = newId();
        long startTime = System.currentTimeMillis();
        AtomicLong endTime = new AtomicLong(-1);
        job.result().whenComplete((r, t) -> endTime.compareAndSet(-1, System.currentTimeMillis()));
        jobs.add(new Entry(id, job, startTime, endTime, options.store() != null, new ConcurrentHashMap<>()));
        return id;
    }

    /** The port the API is served on, for {@code /members}. */
    public void httpPort(int port) {
        this.httpPort = port;
    }

    @Override
    public boolean isMaster() {
        return true;
    }

    @Override
    public String masterUrl() {
        return null; // never asked: this run is its own master
    }

    @Override
    public boolean ready() {
        return true;
    }

    @Override
    public Overview overview() {
        List<JobStatus> statuses = new ArrayList<>();
        for (Entry e : entries()) {
            statuses.add(status(e.job()));
        }
        return Overview.of(clusterName, 1, MEMBER, statuses, Tidemill.version());
    }

    @Override
    public List<MemberView> members() {
        return List.of(new MemberView(MEMBER, "localhost", 0, 0, httpPort, true, true));
    }

    @Override
    public ExchangeStats exchange() {
        return new ExchangeStats(MEMBER, List.of()); // one process: no data connections
    }

    @Override
    public String submit(SubmitRequest request) throws ApiException {
        throw new ApiException(405, "an embedded run takes no jobs: submit jobs to a cluster node");
    }

    @Override
    public List<JobSummary> jobs() {
        List<JobSummary> out = new ArrayList<>();
        for (Entry e : entries()) {
            out.add(new JobSummary(e.id(), e.job().name(), status(e.job()).name(), e.startTime(),
                    parallelism(e.job()), e.job().restarts()));
        }
        return out;
    }

    @Override
    public Optional<JobDetails> job(String jobId) {
        Entry e = find(jobId);
        if (e == null) {
            return Optional.empty();
        }
        JobHandle job = e.job();
        List<TaskStats> stats = job.taskStats();
        List<JobDetails.VertexView> vertices = JobViews.vertices(job.plan(),
                Collections.nCopies(stats.size(), MEMBER), task -> figures(stats.get(task)));
        JobStatus status = status(job);
        if (status != JobStatus.RUNNING) {
            // ended: its end time may not be set yet by the callback of its result
            e.endTime().compareAndSet(-1, System.currentTimeMillis());
        }
        return Optional.of(new JobDetails(e.id(), job.name(), status.name(), null, List.of(), parallelism(job),
                e.startTime(), e.endTime().get(), 1, job.restarts(), job.lastFailure(), vertices,
                JobViews.edges(job.plan()), JobViews.actions(status, e.snapshotStore())));
    }

    @Override
    public void cancel(String jobId) throws ApiException {
        running(jobId).job().cancel();
    }

    @Override
    public String triggerSavepoint(String jobId, String directory) throws ApiException {
        return startSavepoint(jobId, directory, JobHandle::triggerSavepoint);
    }

    /** Starts {@code action} (a savepoint, or a stop with one) under a new trigger id; returns the id. */
    private String startSavepoint(String jobId, String directory,
            BiFunction<JobHandle, String, CompletableFuture<CheckpointCoordinator.Completed>> action)
            throws ApiException {
        Entry e = withStore(jobId, directory);
        String trigger = newId();
        e.savepoints().put(trigger, action.apply(e.job(), savepointPrefix(trigger)));
        return trigger;
    }

    @Override
    public Optional<SavepointStatus> savepoint(String jobId, String triggerId) throws ApiException {
        Entry e = find(jobId);
        if (e == null) {
            throw ApiException.notFound("no job with id " + jobId);
        }
        CompletableFuture<CheckpointCoordinator.Completed> f = e.savepoints().get(triggerId);
        if (f == null) {
            return Optional.empty();
        }
        if (!f.isDone()) {
            return Optional.of(new SavepointStatus(triggerId, "IN_PROGRESS", null, null));
        }
        try {
            return Optional.of(new SavepointStatus(triggerId, "COMPLETED", f.join().prefix(), null));
        } catch (RuntimeException failed) {
            Throwable cause = failed.getCause() != null ? failed.getCause() : failed;
            return Optional.of(new SavepointStatus(triggerId, "FAILED", null, cause.getMessage()));
        }
    }

    @Override
    public String stop(String jobId, String directory) throws ApiException {
        return startSavepoint(jobId, directory, JobHandle::stopWithSavepoint);
    }

    @Override
    public String rescale(String jobId, int parallelism) throws ApiException {
        running(jobId);
        throw new ApiException(405, "an embedded run cannot rescale a job: stop it with a savepoint and start "
                + "it again from the savepoint at another parallelism");
    }

    @Override
    public CheckpointStats checkpoints(String jobId) throws ApiException {
        Entry e = find(jobId);
        if (e == null) {
            throw ApiException.notFound("no job with id " + jobId);
        }
        List<CheckpointCoordinator.Completed> done = e.job().completedCheckpoints();
        List<CheckpointStats.Entry> history = new ArrayList<>();
        for (CheckpointCoordinator.Completed c : done.subList(Math.max(0, done.size() - HISTORY), done.size())) {
            history.add(new CheckpointStats.Entry(c.id(), c.prefix(), c.durationMillis(), c.bytes()));
        }
        return new CheckpointStats(done.size(), e.job().failedCheckpoints(), e.job().abortedCheckpoints(), history);
    }

    @Override
    public String uploadJar(String fileName, byte[] jar) throws ApiException {
        throw new ApiException(405, "an embedded run takes no job jars: upload them to a cluster node");
    }

    @Override
    public String metrics() {
        return metrics.get();
    }

    private List<Entry> entries() {
        synchronized (jobs) {
            return List.copyOf(jobs);
        }
    }

    private Entry find(String jobId) {
        for (Entry e : entries()) {
            if (e.id().equals(jobId)) {
                return e;
            }
        }
        return null;
    }

    private Entry running(String jobId) throws ApiException {
        Entry e = find(jobId);
        if (e == null) {
            throw ApiException.notFound("no job with id " + jobId);
        }
        JobStatus status = status(e.job());
        if (status.isTerminal()) {
            throw ApiException.conflict("job " + jobId + " is not running (" + status + ")");
        }
        return e;
    }

    private Entry withStore(String jobId, String directory) throws ApiException {
        Entry e = running(jobId);
        if (!e.snapshotStore()) {
            throw ApiException.conflict("job " + jobId + " has no snapshot store, so it takes no savepoints: "
                    + "start the run with a checkpoint directory");
        }
        if (directory != null) {
            throw ApiException.badRequest("an embedded run writes savepoints into its job's snapshot store: "
                    + "leave out 'target-directory'");
        }
        return e;
    }

    private static JobStatus status(JobHandle job) {
        CompletableFuture<?> r = job.result();
        if (!r.isDone()) {
            return JobStatus.RUNNING;
        }
        return r.isCancelled() ? JobStatus.CANCELLED : r.isCompletedExceptionally() ? JobStatus.FAILED
                : JobStatus.FINISHED;
    }

    private static int parallelism(JobHandle job) {
        int p = 1;
        for (var v : job.plan().vertices()) {
            p = Math.max(p, v.parallelism());
        }
        return p;
    }

    private static JobViews.SubtaskFigures figures(TaskStats s) {
        return new JobViews.SubtaskFigures(s.recordsIn(), s.recordsOut(), s.watermark(), s.busySeconds(),
                s.backpressuredSeconds());
    }

    private static String savepointPrefix(String trigger) {
        return "savepoint-" + trigger;
    }

    private static String newId() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
