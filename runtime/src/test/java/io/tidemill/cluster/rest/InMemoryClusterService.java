package io.tidemill.cluster.rest;

import io.tidemill.cluster.api.ApiException;
import io.tidemill.cluster.api.CheckpointStats;
import io.tidemill.cluster.api.ClusterService;
import io.tidemill.cluster.api.ExchangeStats;
import io.tidemill.cluster.api.JobDetails;
import io.tidemill.cluster.api.JobViews;
import io.tidemill.cluster.api.JobStatus;
import io.tidemill.cluster.api.JobSummary;
import io.tidemill.cluster.api.MemberView;
import io.tidemill.cluster.api.Overview;
import io.tidemill.cluster.api.SavepointStatus;
import io.tidemill.cluster.api.SubmitRequest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ClusterService} that keeps jobs in a map, for testing the HTTP contract without a cluster.
 * Jobs run as soon as submitted; a savepoint completes when it is first asked about; classes whose
 * name starts with {@code no.such} are unknown (400), and {@code boom.*} throws an unexpected
 * exception (500).
 */
public final class InMemoryClusterService implements ClusterService {
    public volatile boolean master = true;
    public volatile String masterUrl;
    public volatile boolean ready = true;
    /** What {@link #submit} got, in order. */
    public final List<SubmitRequest> submitted = new CopyOnWriteArrayList<>();
    /** Jars uploaded: id to (file name, size). */
    public final Map<String, Map.Entry<String, Integer>> jars = new ConcurrentHashMap<>();
    private final String name;
    private final Map<String, JobDetails> jobs = new ConcurrentHashMap<>();
    private final Map<String, SavepointStatus> savepoints = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    public InMemoryClusterService(String name) {
        this.name = name;
    }

    @Override
    public boolean isMaster() {
        return master;
    }

    @Override
    public String masterUrl() {
        return masterUrl;
    }

    @Override
    public boolean ready() {
        return ready;
    }

    @Override
    public Overview overview() {
        return new Overview("test-cluster", 2, name, count(JobStatus.RUNNING), count(JobStatus.FINISHED),
                count(JobStatus.FAILED), count(JobStatus.CANCELLED), "0.1.0-test");
    }

    private int count(JobStatus status) {
        return (int) jobs.values().stream().filter(j -> j.status().equals(status.name())).count();
    }

    @Override
    public List<MemberView> members() {
        return List.of(new MemberView("m-1", "10.0.0.1", 5701, 6701, 8081, true, master),
                new MemberView("m-2", "10.0.0.2", 5701, 6701, 8081, false, !master));
    }

    @Override
    public ExchangeStats exchange() {
        return new ExchangeStats(name, List.of(new ExchangeStats.Connection("10.0.0.2:6701", 1_000, 64_000, 500,
                32_000)));
    }

    @Override
    public String submit(SubmitRequest request) throws ApiException {
        if (request.className().startsWith("no.such")) {
            throw ApiException.badRequest("unknown job class '" + request.className() + "'");
        }
        if (request.className().startsWith("boom")) {
            throw new IllegalStateException("the planner broke on " + request.className());
        }
        submitted.add(request);
        String id = name + "-job-" + ids.incrementAndGet();
        String simple = request.className().substring(request.className().lastIndexOf('.') + 1);
        jobs.put(id, new JobDetails(id, simple, JobStatus.RUNNING.name(), request.className(), request.args(),
                request.parallelism(), 1_700_000_000_000L, -1, 1, 0, null, List.of(
                        new JobDetails.VertexView(0, "source", request.parallelism(), List.of("m-1", "m-2"), 0, 1200,
                                Long.MIN_VALUE, 1.5, 0.25),
                        new JobDetails.VertexView(1, "window -> sink", request.parallelism(), List.of("m-2", "m-1"),
                                1200, 40, 1_700_000_005_000L, 0.5, 0)),
                List.of(new JobDetails.EdgeView(0, 1, "keyed", null)), JobViews.ALL_ACTIONS));
        return id;
    }

    @Override
    public List<JobSummary> jobs() {
        List<JobSummary> out = new ArrayList<>();
        for (JobDetails j : jobs.values()) {
            out.add(new JobSummary(j.id(), j.name(), j.status(), j.startTime(), j.parallelism(), j.restarts()));
        }
        out.sort(Comparator.comparing(JobSummary::id));
        return out;
    }

    @Override
    public Optional<JobDetails> job(String jobId) {
        return Optional.ofNullable(jobs.get(jobId));
    }

    private JobDetails existing(String jobId) throws ApiException {
        JobDetails j = jobs.get(jobId);
        if (j == null) {
            throw ApiException.notFound("no job '" + jobId + "'");
        }
        return j;
    }

    @Override
    public void cancel(String jobId) throws ApiException {
        setStatus(existing(jobId), JobStatus.CANCELLED, existing(jobId).parallelism());
    }

    private void setStatus(JobDetails j, JobStatus status, int parallelism) {
        jobs.put(j.id(), new JobDetails(j.id(), j.name(), status.name(), j.className(), j.args(), parallelism,
                j.startTime(), status == JobStatus.RUNNING ? -1 : 1_700_000_009_000L, j.executionId(), j.restarts(),
                j.lastFailure(), j.vertices(), j.edges(), JobViews.actions(status, true)));
    }

    @Override
    public String triggerSavepoint(String jobId, String directory) throws ApiException {
        JobDetails j = existing(jobId);
        if (JobStatus.valueOf(j.status()).isTerminal()) {
            throw ApiException.conflict("job '" + jobId + "' is " + j.status());
        }
        String trigger = "sp-" + ids.incrementAndGet();
        savepoints.put(jobId + "/" + trigger, new SavepointStatus(trigger, "IN_PROGRESS", null, null));
        String dir = directory == null ? "/store" : directory;
        savepoints.put(jobId + "/" + trigger + "/done",
                new SavepointStatus(trigger, "COMPLETED", dir + "/savepoint-" + trigger, null));
        return trigger;
    }

    @Override
    public Optional<SavepointStatus> savepoint(String jobId, String triggerId) throws ApiException {
        existing(jobId);
        SavepointStatus first = savepoints.remove(jobId + "/" + triggerId);
        if (first != null) {
            return Optional.of(first); // in progress the first time it is asked about, done after
        }
        return Optional.ofNullable(savepoints.get(jobId + "/" + triggerId + "/done"));
    }

    @Override
    public String stop(String jobId, String directory) throws ApiException {
        String trigger = triggerSavepoint(jobId, directory);
        setStatus(existing(jobId), JobStatus.FINISHED, existing(jobId).parallelism());
        return trigger;
    }

    @Override
    public String rescale(String jobId, int parallelism) throws ApiException {
        String trigger = triggerSavepoint(jobId, null);
        setStatus(existing(jobId), JobStatus.RUNNING, parallelism);
        return trigger;
    }

    @Override
    public CheckpointStats checkpoints(String jobId) throws ApiException {
        existing(jobId);
        return new CheckpointStats(2, 1, 0, List.of(new CheckpointStats.Entry(2, "/store/chk-2", 35, 4096),
                new CheckpointStats.Entry(1, "/store/chk-1", 40, 4000)));
    }

    @Override
    public String uploadJar(String fileName, byte[] jar) {
        String id = "jar-" + ids.incrementAndGet() + "_" + fileName;
        jars.put(id, Map.entry(fileName, jar.length));
        return id;
    }
}
