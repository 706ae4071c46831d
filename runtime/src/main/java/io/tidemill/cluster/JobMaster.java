package io.tidemill.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.checkpoint.store.SnapshotStore;
import io.tidemill.cluster.ControlMessage.Kind;
import io.tidemill.cluster.api.ApiException;
import io.tidemill.cluster.api.CheckpointStats;
import io.tidemill.cluster.api.JobDetails;
import io.tidemill.cluster.api.JobViews;
import io.tidemill.cluster.api.JobStatus;
import io.tidemill.cluster.api.JobSummary;
import io.tidemill.cluster.api.SavepointStatus;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.plan.ExecutionPlan;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The job master's role on this node: active while this node is the oldest member. It keeps every
 * job in Hazelcast maps with backups (job records, savepoint requests, jars), so that the next
 * oldest member, when this one dies, resumes each job from its latest committed checkpoint: it
 * first has every member cancel whatever execution of the job it still runs, then deploys a new one.
 */
final class JobMaster {
    private static final Logger LOG = LoggerFactory.getLogger(JobMaster.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final HazelcastInstance hz;
    private final ControlPlane control;
    private final ExecutorService io;
    private final ScheduledExecutorService timer;
    private final Function<String, SnapshotStore> stores;
    private final int configuredQuorum;
    private final IMap<String, String> jobMap;
    /** Members leaving gracefully (SIGTERM), by uuid: when they said so. Entries expire. */
    private final IMap<String, Long> leaving;
    /** Jobs this master is stopping with a savepoint because leaving members would take their quorum. */
    private final Set<String> stoppingForLeave = ConcurrentHashMap.newKeySet();
    private final IMap<String, String> savepointMap;
    private final IMap<String, byte[]> jars;
    private final Map<String, MasterJob> jobs = new ConcurrentHashMap<>();
    /** Members whose data connection dropped or that stopped answering: not given tasks for a while. */
    private final Map<String, Long> suspects = new ConcurrentHashMap<>();
    /** Per job being taken over: the members that have not yet confirmed that none of its tasks runs. */
    private final Map<String, Set<String>> takeovers = new ConcurrentHashMap<>();
    private volatile boolean active;
    /** Told of every checkpoint a job completes here (for metrics), or null. */
    volatile BiConsumer<String, CheckpointCoordinator.Completed> checkpointListener;

    JobMaster(HazelcastInstance hz, ControlPlane control, ExecutorService io, ScheduledExecutorService timer,
              Function<String, SnapshotStore> stores, int configuredQuorum) {
        this.hz = hz;
        this.control = control;
        this.io = io;
        this.timer = timer;
        this.stores = stores;
        this.configuredQuorum = configuredQuorum;
        this.jobMap = hz.getMap("tidemill-jobs");
        this.savepointMap = hz.getMap("tidemill-savepoints");
        this.jars = hz.getMap("tidemill-jars");
        this.leaving = hz.getMap("tidemill-leaving");
    }

    // ---- what the jobs use ----

    ExecutorService io() {
        return io;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    ControlPlane control() {
        return control;
    }

    String self() {
        return control.self();
    }

    /** The snapshot store of job {@code jobId}. */
    SnapshotStore store(String jobId) {
        return stores.apply(jobId);
    }

    IMap<String, byte[]> jars() {
        return jars;
    }

    long newExecutionId() {
        return hz.getFlakeIdGenerator("tidemill-executions").newId();
    }

    /** Live members that may get tasks, oldest first. */
    List<String> liveMembers() {
        long now = System.currentTimeMillis();
        suspects.values().removeIf(until -> until < now);
        List<String> live = new ArrayList<>();
        for (Member m : hz.getCluster().getMembers()) {
            String uuid = m.getUuid().toString();
            if (!suspects.containsKey(uuid)) {
                live.add(uuid);
            }
        }
        return live;
    }

    Set<String> liveMembersSet() {
        Set<String> s = new HashSet<>();
        for (Member m : hz.getCluster().getMembers()) {
            s.add(m.getUuid().toString());
        }
        return s;
    }

    void suspect(String member) {
        if (!member.equals(self())) {
            suspects.put(member, System.currentTimeMillis() + 30_000);
        }
    }

    Map<String, String> dataAddresses(Set<String> members) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Member m : hz.getCluster().getMembers()) {
            String uuid = m.getUuid().toString();
            if (members.contains(uuid)) {
                out.put(uuid, m.getAttribute(TidemillNode.DATA_HOST) + ":" + m.getAttribute(TidemillNode.DATA_PORT));
            }
        }
        return out;
    }

    String describeMember(String uuid) {
        for (Member m : hz.getCluster().getMembers()) {
            if (m.getUuid().toString().equals(uuid)) {
                return m.getAddress().getHost() + ":" + m.getAddress().getPort();
            }
        }
        return uuid;
    }

    void save(JobRecord rec) {
        try {
            saveOrThrow(rec);
        } catch (RuntimeException e) {
            LOG.warn("job {}: cannot save its record: {}", rec.spec.id(), e.getMessage());
        }
    }

    void saveOrThrow(JobRecord rec) {
        jobMap.set(rec.spec.id(), rec.json());
    }

    void jobEnded(MasterJob job) {
        jobs.remove(job.id);
    }

    static CheckpointConfig.Mode modeOf(String mode) {
        if (mode == null || mode.isBlank()) {
            return CheckpointConfig.Mode.EXACTLY_ONCE;
        }
        return switch (mode.toLowerCase(Locale.ROOT)) {
            case "exactly-once", "exactly_once", "aligned" -> CheckpointConfig.Mode.EXACTLY_ONCE;
            case "unaligned" -> CheckpointConfig.Mode.UNALIGNED;
            case "at-least-once", "at_least_once" -> CheckpointConfig.Mode.AT_LEAST_ONCE;
            default -> throw new IllegalArgumentException("unknown checkpoint mode '" + mode
                    + "' (exactly-once, unaligned or at-least-once)");
        };
    }

    // ---- graceful leaves ----

    /** This member is leaving gracefully: the master stops the jobs that would lose their quorum. */
    void announceLeaving() {
        leaving.set(self(), System.currentTimeMillis(), 10, TimeUnit.MINUTES);
    }

    /** The current members, by uuid, that do not leave. */
    private int stayingMembers() {
        Set<String> gone = leaving.keySet(); // one read of the map, not one per member
        int staying = 0;
        for (Member m : hz.getCluster().getMembers()) {
            if (!gone.contains(m.getUuid().toString())) {
                staying++;
            }
        }
        return staying;
    }

    /** A job's quorum: a majority of the most members it ran on, at least the node's configured quorum. */
    int quorumOf(JobRecord r) {
        return Math.max(configuredQuorum, r.maxMembers / 2 + 1);
    }

    /**
     * On the master: the jobs that members leaving gracefully would leave without a quorum (the last
     * nodes of a cluster scaled to zero) stop with a savepoint while those members still run their
     * tasks, to be resubmitted from it; a job that keeps its quorum restarts on the others as usual.
     */
    void stopJobsLosingQuorumToLeavers() {
        if (!active || leaving.isEmpty()) {
            return;
        }
        int staying = stayingMembers();
        for (MasterJob job : List.copyOf(activeJobs().values())) {
            if (staying < job.quorum() && job.canTakeSavepoint() && stoppingForLeave.add(job.id)) {
                LOG.info("job {}: {} member(s) would stay, fewer than its quorum of {}: stopping it with a savepoint",
                        job.id, staying, job.quorum());
                job.stop(savepointPrefix(newJobId())).whenComplete((location, t) -> {
                    if (t != null) {
                        stoppingForLeave.remove(job.id);
                        LOG.warn("job {}: no savepoint before the members leave: {}", job.id,
                                (t.getCause() != null ? t.getCause() : t).getMessage());
                    } else {
                        LOG.info("job {}: stopped with savepoint {} (members are leaving)", job.id, location);
                    }
                });
            }
        }
    }

    /**
     * Whether a running job would lose its quorum to the members leaving: a leaving member then waits
     * (its tasks are needed for the savepoint) until the job ended or it gives up. A job that is not
     * running (restarting, waiting for members) cannot take a savepoint: it pauses without a quorum.
     */
    boolean anyJobLosesQuorumToLeavers() {
        int staying = stayingMembers();
        for (String json : jobMap.values()) {
            JobRecord r = JobRecord.parse(json);
            if (JobStatus.RUNNING.name().equals(r.status) && staying < quorumOf(r)) {
                return true;
            }
        }
        return false;
    }

    // ---- the master role ----

    boolean isActive() {
        return active;
    }

    /**
     * Whether this node is the oldest member right now. {@link #isActive} follows membership events
     * a moment later: after a split-brain merge the former minority's master is still active until
     * its membership event is handled, and must not deploy in between.
     */
    boolean isOldestMember() {
        var members = hz.getCluster().getMembers().iterator();
        return members.hasNext() && members.next().localMember();
    }

    /** This node became the oldest member: take over every job that has not ended. */
    synchronized void activate() {
        if (active) {
            return;
        }
        List<Map.Entry<String, String>> entries = new ArrayList<>(jobMap.entrySet()); // may throw: no quorum
        active = true;
        LOG.info("this node is now the job master");
        for (Map.Entry<String, String> entry : entries) {
            JobRecord rec;
            try {
                rec = JobRecord.parse(entry.getValue());
            } catch (RuntimeException e) {
                LOG.warn("job {}: {}", entry.getKey(), e.getMessage());
                continue;
            }
            if (rec.status != null && JobStatus.valueOf(rec.status).isTerminal()) {
                continue;
            }
            // a takeover counts as a restart of the job, as the failure of its master was
            rec.restarts++;
            rec.lastFailure = "the job master left the cluster; resumed by " + describeMember(self());
            MasterJob job = new MasterJob(this, rec, stores.apply(rec.spec.id()));
            jobs.put(job.id, job);
            failOpenSavepoints(job.id);
            Set<String> waiting = new HashSet<>(liveMembersSet());
            takeovers.put(job.id, waiting);
            LOG.info("job {}: taking it over; cancelling its tasks on {} members first", job.id, waiting.size());
            for (String m : waiting) {
                control.send(m, ControlMessage.of(Kind.CANCEL, self(), job.id, 0));
            }
            timer.schedule(() -> takeoverDone(job.id, "members did not confirm within 10 s"), 10, TimeUnit.SECONDS);
        }
    }

    /** Savepoints a dead master was taking will never complete: say so. */
    private void failOpenSavepoints(String jobId) {
        for (Map.Entry<String, String> e : savepointMap.entrySet()) {
            if (e.getKey().startsWith(jobId + "/")) {
                try {
                    SavepointStatus s = ControlPlane.JSON.readValue(e.getValue(), SavepointStatus.class);
                    if (s.status().equals("IN_PROGRESS")) {
                        putSavepoint(jobId, new SavepointStatus(s.triggerId(), "FAILED", null,
                                "the job master failed before the savepoint completed"));
                    }
                } catch (Exception ex) {
                    LOG.warn("savepoint {}: {}", e.getKey(), ex.getMessage());
                }
            }
        }
    }

    private void takeoverDone(String jobId, String note) {
        Set<String> waiting = takeovers.remove(jobId);
        if (waiting == null) {
            return;
        }
        if (!waiting.isEmpty()) {
            LOG.warn("job {}: {}: {}", jobId, note, waiting);
            waiting.forEach(this::suspect);
        }
        MasterJob job = jobs.get(jobId);
        if (job != null) {
            job.launch();
        }
    }

    /** This node is no longer the oldest (it merged into another cluster): stop driving jobs. */
    synchronized void deactivate() {
        if (!active) {
            return;
        }
        active = false;
        jobs.values().forEach(MasterJob::abandon);
        jobs.clear();
    }

    void memberRemoved(String uuid) {
        for (MasterJob j : jobs.values()) {
            j.memberRemoved(uuid);
        }
        for (Map.Entry<String, Set<String>> t : takeovers.entrySet()) {
            t.getValue().remove(uuid);
            if (t.getValue().isEmpty()) {
                takeoverDone(t.getKey(), null);
            }
        }
    }

    void memberAdded() {
        for (MasterJob j : jobs.values()) {
            j.memberAdded();
        }
    }

    /** A member's report (on the control thread). */
    void handle(ControlMessage m) {
        if (m.kind() == Kind.IDLE) {
            Set<String> waiting = takeovers.get(m.jobId());
            if (waiting != null && waiting.remove(m.from()) && waiting.isEmpty()) {
                takeoverDone(m.jobId(), null);
            }
            return;
        }
        MasterJob job = jobs.get(m.jobId());
        if (job == null) {
            if (m.kind() == Kind.DEPLOYED && m.text() == null) {
                // a deployment of a job this master does not drive (it was master before a merge): cancel
                control.send(m.from(), ControlMessage.of(Kind.CANCEL, self(), m.jobId(), m.executionId()));
            }
            return;
        }
        switch (m.kind()) {
            case DEPLOYED -> job.onDeployed(m);
            case FAILED -> job.onFailed(m);
            case FINISHED -> job.onFinished(m);
            case ACK -> job.onAck(m);
            case DECLINE -> job.onDecline(m);
            case SOURCE_ENDED -> job.onSourceEnded(m);
            case STATS -> job.onStats(m);
            default -> LOG.debug("master ignores {}", m.kind());
        }
    }

    // ---- requests (ClusterService, on the master) ----

    String submit(SubmitRequest r) throws ApiException {
        requireActive();
        if (r.className() == null || r.className().isBlank()) {
            throw ApiException.badRequest("missing field 'className'");
        }
        if (r.parallelism() < 1) {
            throw ApiException.badRequest("field 'parallelism' must be at least 1, was " + r.parallelism());
        }
        if (r.checkpointIntervalMillis() < 0) {
            throw ApiException.badRequest("field 'checkpointIntervalMillis' must not be negative");
        }
        try {
            modeOf(r.checkpointMode());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        String id = newJobId();
        int attempts = r.restartAttempts() == null ? 3 : r.restartAttempts();
        long delay = r.restartDelayMillis() == null ? 500 : r.restartDelayMillis();
        if (attempts < 0 || delay < 0) {
            throw ApiException.badRequest("restart attempts and delay must not be negative");
        }
        JobSpec spec = new JobSpec(id, r.className(), r.args(), r.parallelism(), r.jarId(),
                r.checkpointIntervalMillis(), r.checkpointMode(), attempts, delay, r.savepoint());
        ExecutionPlan plan;
        try {
            JobLoader.Loaded loaded = JobLoader.load(spec, jars);
            plan = loaded.plan();
            JobLoader.closeQuietly(loaded.closer());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        } catch (Exception e) {
            throw ApiException.badRequest("the job could not be built: " + MemberExecution.describe(e));
        }
        if (r.savepoint() != null && !r.savepoint().contains("/")) {
            throw ApiException.badRequest("field 'savepoint' must be a location as a savepoint reports it "
                    + "(<job id>/<prefix>, or an absolute path when it was written to a target directory), was '"
                    + r.savepoint() + "'");
        }
        JobRecord rec = new JobRecord();
        rec.spec = spec;
        rec.name = plan.jobName();
        rec.status = JobStatus.CREATED.name();
        rec.startTime = System.currentTimeMillis();
        try {
            saveOrThrow(rec);
        } catch (RuntimeException e) {
            throw new ApiException(503, "the cluster cannot take jobs now: " + e.getMessage());
        }
        MasterJob job = new MasterJob(this, rec, stores.apply(id));
        jobs.put(id, job);
        LOG.info("job {} ({}) submitted: {} {} at parallelism {}", id, rec.name, spec.className(), spec.args(),
                spec.parallelism());
        job.launch();
        return id;
    }

    private static String newJobId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private void requireActive() throws ApiException {
        if (!active) {
            throw new ApiException(503, "this node is not the job master");
        }
    }

    List<JobSummary> jobs() {
        List<JobSummary> out = new ArrayList<>();
        for (String json : jobMap.values()) {
            JobRecord r = JobRecord.parse(json);
            out.add(new JobSummary(r.spec.id(), r.name, r.status, r.startTime, r.spec.parallelism(), r.restarts));
        }
        out.sort((a, b) -> Long.compare(a.startTime(), b.startTime()));
        return out;
    }

    /** Every job record, for the overview. */
    List<JobRecord> records() {
        List<JobRecord> out = new ArrayList<>();
        for (String json : jobMap.values()) {
            out.add(JobRecord.parse(json));
        }
        return out;
    }

    Optional<JobDetails> job(String id) {
        String json = jobMap.get(id);
        if (json == null) {
            return Optional.empty();
        }
        JobRecord r = JobRecord.parse(json);
        MasterJob live = jobs.get(id);
        List<JobDetails.VertexView> vertices = List.of();
        List<JobDetails.EdgeView> edges = List.of();
        MasterJob.Exec e = live == null ? null : live.current();
        if (e != null) {
            synchronized (live) {
                List<String> placement = new ArrayList<>(e.placement.size());
                for (String member : e.placement) {
                    placement.add(describeMember(member));
                }
                vertices = JobViews.vertices(e.plan, placement, task -> figures(e.taskStats.get(task)));
                edges = JobViews.edges(e.plan);
            }
        }
        // every job of a cluster has a snapshot store: savepoints and stop need only a running job
        return Optional.of(new JobDetails(id, r.name, r.status, r.spec.className(), r.spec.args(),
                r.spec.parallelism(), r.startTime, r.endTime > 0 ? r.endTime : -1, r.executionId, r.restarts,
                r.lastFailure, vertices, edges, JobViews.actions(JobStatus.valueOf(r.status), true)));
    }

    /** A task's figures as its member last reported them (see {@link ControlMessage.Deploy#stats}). */
    private static JobViews.SubtaskFigures figures(long[] t) {
        if (t == null) {
            return null;
        }
        return t.length < 6 ? new JobViews.SubtaskFigures(t[2], 0, t[1], 0, 0)
                : new JobViews.SubtaskFigures(t[2], t[3], t[1], t[4] / 1e6, t[5] / 1e6);
    }

    /** Records consumed by the current execution's tasks on all members (as last reported). */
    long recordsIn(String id) {
        MasterJob live = jobs.get(id);
        MasterJob.Exec e = live == null ? null : live.current();
        if (e == null) {
            return 0;
        }
        synchronized (live) {
            return e.recordsIn.values().stream().mapToLong(Long::longValue).sum();
        }
    }

    private MasterJob running(String id) throws ApiException {
        requireActive();
        MasterJob j = jobs.get(id);
        if (j == null) {
            if (jobMap.containsKey(id)) {
                throw ApiException.conflict("job " + id + " is not running (" + JobRecord.parse(jobMap.get(id)).status
                        + ")");
            }
            throw ApiException.notFound("no job with id " + id);
        }
        return j;
    }

    void cancel(String id) throws ApiException {
        running(id).cancel();
    }

    String savepoint(String id, String kind, Function<MasterJob, CompletableFuture<String>> action)
            throws ApiException {
        MasterJob job = running(id);
        String trigger = newJobId();
        putSavepoint(id, new SavepointStatus(trigger, "IN_PROGRESS", null, null));
        action.apply(job).whenComplete((location, t) -> putSavepoint(id, t == null
                ? new SavepointStatus(trigger, "COMPLETED", location, null)
                : new SavepointStatus(trigger, "FAILED", null, (t.getCause() != null ? t.getCause() : t)
                        .getMessage())));
        LOG.info("job {}: {} {} requested", id, kind, trigger);
        return trigger;
    }

    static String savepointPrefix(String trigger) {
        return "sp-" + trigger;
    }

    private void putSavepoint(String jobId, SavepointStatus s) {
        try {
            savepointMap.set(jobId + "/" + s.triggerId(), ControlPlane.JSON.writeValueAsString(s));
        } catch (Exception e) {
            LOG.warn("job {}: cannot record savepoint {}: {}", jobId, s.triggerId(), e.getMessage());
        }
    }

    Optional<SavepointStatus> savepointStatus(String jobId, String trigger) throws ApiException {
        if (!jobMap.containsKey(jobId)) {
            throw ApiException.notFound("no job with id " + jobId);
        }
        String json = savepointMap.get(jobId + "/" + trigger);
        if (json == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ControlPlane.JSON.readValue(json, SavepointStatus.class));
        } catch (Exception e) {
            throw new ApiException(500, "unreadable savepoint record: " + e.getMessage());
        }
    }

    CheckpointStats checkpoints(String id) throws ApiException {
        String json = jobMap.get(id);
        if (json == null) {
            throw ApiException.notFound("no job with id " + id);
        }
        JobRecord r = JobRecord.parse(json);
        List<CheckpointStats.Entry> history = new ArrayList<>();
        for (JobRecord.Checkpoint c : r.history) {
            history.add(new CheckpointStats.Entry(c.id(), c.location(), c.durationMillis(), c.bytes()));
        }
        MasterJob live = jobs.get(id);
        int[] current = live == null ? new int[2] : live.currentCheckpointFailures();
        return new CheckpointStats(r.checkpointsCompleted, r.checkpointsFailed + current[0],
                r.checkpointsAborted + current[1], history);
    }

    String uploadJar(String fileName, byte[] jar) throws ApiException {
        if (jar == null || jar.length < 4 || jar[0] != 'P' || jar[1] != 'K') {
            throw ApiException.badRequest("the body is not a jar (zip) file");
        }
        try {
            String id = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(jar)).substring(0, 32);
            jars.set(id, jar);
            LOG.info("stored job jar {} ({} bytes) as {}", fileName, jar.length, id);
            return id;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The jobs this master drives, by id (the last node stops them with savepoints when it leaves). */
    Map<String, MasterJob> activeJobs() {
        return jobs;
    }
}
