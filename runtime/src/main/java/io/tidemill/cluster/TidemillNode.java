package io.tidemill.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.MergePolicyConfig;
import com.hazelcast.config.SplitBrainProtectionConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spi.merge.DiscardMergePolicy;
import io.tidemill.checkpoint.SnapshotCopy;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.checkpoint.store.HazelcastSnapshotStore;
import io.tidemill.checkpoint.store.SnapshotStore;
import io.tidemill.cluster.api.ApiException;
import io.tidemill.cluster.api.CheckpointStats;
import io.tidemill.cluster.api.ClusterService;
import io.tidemill.cluster.api.ExchangeStats;
import io.tidemill.cluster.api.JobDetails;
import io.tidemill.cluster.api.JobStatus;
import io.tidemill.cluster.api.JobSummary;
import io.tidemill.cluster.api.MemberView;
import io.tidemill.cluster.api.Overview;
import io.tidemill.cluster.api.SavepointStatus;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.net.DataPlane;
import io.tidemill.scheduler.CooperativeScheduler;
import io.tidemill.scheduler.DaemonThreads;
import io.tidemill.task.TaskBuilder;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Tidemill node: one Hazelcast member (membership, failure detection, job records and snapshots
 * in maps with backups), one Vert.x instance (data plane, REST API), and cooperative worker threads
 * running this node's share of every job. The oldest member is also the job master.
 *
 * <p>Failure detection: heartbeats every {@link NodeConfig#heartbeatSeconds} (default 1 s) and a
 * member is removed after {@link NodeConfig#maxNoHeartbeatSeconds} (default 5 s) of silence, instead
 * of Hazelcast's 60 s. A killed process is noticed sooner: its data connections close at once, and
 * the execution fails and restarts without it (the master suspects it until Hazelcast decides).
 */
public final class TidemillNode implements ClusterService, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TidemillNode.class);
    static final String DATA_PORT = "tidemill.data-port";
    static final String DATA_HOST = "tidemill.data-host";
    static final String HTTP_PORT = "tidemill.http-port";
    static final String HTTP_HOST = "tidemill.http-host";
    static final String VERSION = "0.1.0";

    /** How long the last node leaving waits for each job's savepoint, then for the job to end. */
    private static final long SAVEPOINT_SECONDS = 60;
    private static final long JOB_END_SECONDS = 30;
    /** How long a leaving node waits for its tasks to stop. */
    private static final long TASKS_STOP_MILLIS = 10_000;
    /** How long a leaving node waits for others told to stop at the same moment to say so. */
    private static final long LEAVE_GATHER_MILLIS = 1_000;

    private final NodeConfig config;
    private final HazelcastInstance hz;
    private final Vertx vertx;
    private final CooperativeScheduler scheduler;
    private final ExecutorService io;
    private final ExecutorService controlThread;
    private final ScheduledExecutorService timer;
    private final Exchange exchange;
    private final ControlPlane control;
    private final MemberRuntime member;
    private final JobMaster master;
    private final Map<String, SnapshotStore> stores = new ConcurrentHashMap<>();
    private final AutoCloseable rest;
    private final NodeMeters meters;
    private final int httpPort;
    private volatile boolean closed;

    private TidemillNode(NodeConfig config, Function<Config, HazelcastInstance> newMember) throws Exception {
        this.config = config;
        this.vertx = Vertx.vertx();
        this.io = Executors.newCachedThreadPool(DaemonThreads.named("tidemill-io"));
        this.controlThread = Executors.newSingleThreadExecutor(DaemonThreads.named("tidemill-control"));
        this.timer = Executors.newScheduledThreadPool(1, DaemonThreads.named("tidemill-timer"));
        this.scheduler = new CooperativeScheduler(config.workerThreads(), "tidemill-worker");
        MemberRuntime[] memberRef = new MemberRuntime[1];
        this.exchange = Exchanges.start(vertx, config, (execution, reason, peer) -> {
            MemberRuntime m = memberRef[0];
            if (m != null) {
                m.executionFailed(execution, reason, peer);
            }
        });
        Object[] restRef = new Object[2];
        this.rest = Exchanges.startRest(vertx, config, this, restRef);
        this.httpPort = restRef[0] == null ? config.httpPort() : (Integer) restRef[0];
        this.hz = newMember.apply(hazelcastConfig(config, exchange.port(), httpPort));
        this.control = new ControlPlane(hz, controlThread, this::onControl);
        this.member = new MemberRuntime(control, scheduler, exchange, io, this::storeOf, hz.getMap("tidemill-jars"),
                TaskBuilder.Config.DEFAULT);
        memberRef[0] = member;
        this.meters = new NodeMeters(this);
        member.meters = meters;
        this.master = new JobMaster(hz, control, io, timer, this::storeOf, config.effectiveQuorum());
        master.checkpointListener = meters::checkpointCompleted;
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                controlThread.execute(() -> membershipChanged(null));
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                String uuid = e.getMember().getUuid().toString();
                controlThread.execute(() -> membershipChanged(uuid));
            }
        });
        controlThread.execute(() -> membershipChanged(null));
        timer.scheduleAtFixedRate(() -> controlThread.execute(member::reportStats), 1, 1, TimeUnit.SECONDS);
        timer.scheduleAtFixedRate(() -> controlThread.execute(() -> {
            try {
                master.stopJobsLosingQuorumToLeavers();
            } catch (RuntimeException e) { // no quorum to read the map: nothing to decide now
                LOG.debug("checking the leaving members: {}", e.toString());
            }
        }), 500, 500, TimeUnit.MILLISECONDS);
        timer.scheduleAtFixedRate(() -> controlThread.execute(() -> {
            if (!master.isActive()) {
                membershipChanged(null);
            }
        }), 200, 200, TimeUnit.MILLISECONDS);
        LOG.info("node {} started: Hazelcast {}:{}, data port {}, REST {}:{}, {} worker threads", control.self(),
                config.advertisedHost(), hz.getCluster().getLocalMember().getAddress().getPort(), exchange.port(),
                config.httpHost(), httpPort, config.workerThreads());
    }

    /** Starts a node and joins (or forms) its cluster. */
    public static TidemillNode start(NodeConfig config) throws Exception {
        return new TidemillNode(config, Hazelcast::newHazelcastInstance);
    }

    /**
     * For tests only: starts a node whose Hazelcast member {@code member} creates from the node's
     * Hazelcast config, e.g. with Hazelcast's firewalling network context to partition a cluster in
     * one JVM. A node in production starts with {@link #start(NodeConfig)}.
     */
    public static TidemillNode startForTest(NodeConfig config, Function<Config, HazelcastInstance> member)
            throws Exception {
        return new TidemillNode(config, member);
    }


    static Config hazelcastConfig(NodeConfig c, int dataPort, int httpPort) {
        Config hc = new Config();
        hc.setClusterName(c.clusterName());
        hc.setProperty("hazelcast.phone.home.enabled", "false");
        hc.setProperty("hazelcast.logging.type", "slf4j");
        hc.setProperty("hazelcast.shutdownhook.enabled", "false");
        hc.setProperty("hazelcast.heartbeat.interval.seconds", String.valueOf(c.heartbeatSeconds()));
        hc.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(c.maxNoHeartbeatSeconds()));
        hc.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
        hc.setProperty("hazelcast.merge.next.run.delay.seconds", "5");
        hc.setProperty("hazelcast.local.localAddress", c.bindAddress());
        // --bind means the Hazelcast port too: Hazelcast would otherwise listen on every interface
        hc.setProperty("hazelcast.socket.bind.any", String.valueOf(c.bindAddress().equals("0.0.0.0")));
        hc.setProperty("hazelcast.wait.seconds.before.join", "1");
        var net = hc.getNetworkConfig();
        net.setPort(c.hazelcastPort()).setPortAutoIncrement(c.hazelcastPort() == 0);
        if (c.publicAddress() != null) {
            net.setPublicAddress(c.publicAddress() + ":" + c.hazelcastPort());
        }
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        if (c.kubernetesService() != null && !c.kubernetesService().isBlank()) {
            // DNS gives the pods' addresses only; they all listen on the port this node does (one
            // StatefulSet, one port), which is also what lets a test run several on loopback addresses
            join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", c.kubernetesService())
                    .setProperty("service-port", String.valueOf(c.hazelcastPort() == 0 ? 5701 : c.hazelcastPort()));
        } else {
            join.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(2).setMembers(c.members().isEmpty()
                    ? List.of(c.bindAddress() + ":" + c.hazelcastPort()) : c.members());
        }
        hc.getMemberAttributeConfig().setAttribute(DATA_PORT, String.valueOf(dataPort));
        // the data plane knows a node by this host:port on every node (its handshake says it)
        hc.getMemberAttributeConfig().setAttribute(DATA_HOST, c.advertisedHost());
        hc.getMemberAttributeConfig().setAttribute(HTTP_PORT, String.valueOf(httpPort));
        hc.getMemberAttributeConfig().setAttribute(HTTP_HOST, c.httpHost().equals("0.0.0.0")
                ? c.advertisedHost() : c.httpHost());
        // Writes of job records and snapshots need a quorum: a minority side completes no checkpoint.
        SplitBrainProtectionConfig quorum = new SplitBrainProtectionConfig("tidemill-quorum", true,
                c.effectiveQuorum());
        hc.addSplitBrainProtectionConfig(quorum);
        // The split-brain protection only knows the membership, which lags a partition by the failure
        // timeout. Within that time a write whose primary copy is on the minority side would succeed
        // once its backup acknowledgement timed out, and a cut-off master would record a checkpoint
        // as committed (and its sinks commit) that the majority never sees. Failing such writes, and
        // keeping enough backups that a successful write reached a quorum of members, closes that:
        // a recorded commit is on a quorum, so every majority side holds it.
        hc.setProperty("hazelcast.operation.fail.on.indeterminate.state", "true");
        int quorumBackups = Math.min(6, Math.max(1, c.effectiveQuorum() - 1));
        // After a split heals, the smaller side merges into the larger; what it holds of these maps is
        // dropped, not merged: without a quorum it wrote nothing that counts, and its stale job
        // records and half-written snapshots must not reappear beside the majority's.
        MergePolicyConfig keepLarger = new MergePolicyConfig(DiscardMergePolicy.class.getName(),
                MergePolicyConfig.DEFAULT_BATCH_SIZE);
        hc.addMapConfig(new MapConfig("tidemill-jobs").setBackupCount(quorumBackups)
                .setSplitBrainProtectionName("tidemill-quorum").setMergePolicyConfig(keepLarger));
        hc.addMapConfig(new MapConfig("tidemill-savepoints").setBackupCount(1));
        hc.addMapConfig(new MapConfig("tidemill-jars").setBackupCount(1));
        hc.addMapConfig(new MapConfig("tidemill-snapshots-*").setBackupCount(quorumBackups)
                .setSplitBrainProtectionName("tidemill-quorum").setMergePolicyConfig(keepLarger));
        return hc;
    }

    SnapshotStore storeOf(String jobId) {
        return stores.computeIfAbsent(jobId, id -> {
            if (config.storeDirectory() != null) {
                try {
                    return new FileSnapshotStore(config.storeDirectory().resolve(id));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            return new HazelcastSnapshotStore(hz.getMap("tidemill-snapshots-" + id));
        });
    }

    private void onControl(ControlMessage m) {
        switch (m.kind()) {
            case DEPLOY, START, CANCEL, INJECT, COMPLETE -> member.handle(m);
            default -> master.handle(m);
        }
    }

    private void membershipChanged(String removed) {
        if (closed) {
            return;
        }
        control.listen(); // a merge after a split gives this member a new uuid
        var members = hz.getCluster().getMembers();
        member.membersChanged(members.size());
        boolean oldest = members.iterator().next().localMember();
        if (oldest) {
            if (!master.isActive()) {
                if (!ready()) {
                    return; // no quorum yet: the periodic check activates the master later
                }
                try {
                    master.activate();
                } catch (RuntimeException e) {
                    LOG.warn("cannot take over the jobs yet: {}", e.getMessage());
                    master.deactivate();
                    return;
                }
            }
            if (removed != null) {
                master.memberRemoved(removed);
            } else {
                master.memberAdded();
            }
        } else {
            master.deactivate();
        }
    }

    // ---- ClusterService ----

    @Override
    public boolean isMaster() {
        JobMaster m = master; // null while the node starts (the REST API is up first)
        return m != null && m.isActive();
    }

    @Override
    public String masterUrl() {
        if (hz == null) {
            return null;
        }
        var members = hz.getCluster().getMembers();
        if (members.isEmpty()) {
            return null;
        }
        Member m = members.iterator().next();
        return "http://" + m.getAttribute(HTTP_HOST) + ":" + m.getAttribute(HTTP_PORT);
    }

    @Override
    public boolean ready() {
        return !closed && hz != null && master != null && hz.getLifecycleService().isRunning()
                && hz.getSplitBrainProtectionService().getSplitBrainProtection("tidemill-quorum").hasMinimumSize();
    }

    @Override
    public Overview overview() {
        List<JobStatus> statuses = new ArrayList<>();
        for (JobRecord r : master.records()) {
            statuses.add(JobStatus.valueOf(r.status));
        }
        Member oldest = hz.getCluster().getMembers().iterator().next();
        return Overview.of(config.clusterName(), hz.getCluster().getMembers().size(), oldest.getUuid().toString(),
                statuses, VERSION);
    }

    @Override
    public List<MemberView> members() {
        List<MemberView> out = new ArrayList<>();
        if (hz == null) {
            return out; // still starting
        }
        boolean first = true;
        for (Member m : hz.getCluster().getMembers()) {
            out.add(new MemberView(m.getUuid().toString(), m.getAddress().getHost(), m.getAddress().getPort(),
                    Integer.parseInt(m.getAttribute(DATA_PORT)), Integer.parseInt(m.getAttribute(HTTP_PORT)), first,
                    m.localMember()));
            first = false;
        }
        return out;
    }

    @Override
    public ExchangeStats exchange() {
        if (hz == null || exchange == null) {
            return new ExchangeStats("", List.of()); // still starting
        }
        List<ExchangeStats.Connection> connections = new ArrayList<>();
        for (DataPlane.ConnectionStats c : exchange.stats().connections()) {
            connections.add(new ExchangeStats.Connection(c.peer().toString(), c.recordsSent(), c.bytesSent(),
                    c.recordsReceived(), c.bytesReceived()));
        }
        return new ExchangeStats(hz.getCluster().getLocalMember().getUuid().toString(), connections);
    }

    @Override
    public String submit(SubmitRequest request) throws ApiException {
        return master.submit(request);
    }

    @Override
    public List<JobSummary> jobs() {
        return master.jobs();
    }

    @Override
    public Optional<JobDetails> job(String jobId) {
        return master.job(jobId);
    }

    @Override
    public void cancel(String jobId) throws ApiException {
        master.cancel(jobId);
    }

    @Override
    public String triggerSavepoint(String jobId, String directory) throws ApiException {
        Path target = targetDirectory(directory);
        return master.savepoint(jobId, "savepoint",
                j -> copiedTo(target, j.savepoint(JobMaster.savepointPrefix(newTrigger()))));
    }

    /** A savepoint's target directory: null (the job's store only) or an absolute path. */
    private static Path targetDirectory(String directory) throws ApiException {
        if (directory == null) {
            return null;
        }
        if (directory.isBlank() || !directory.startsWith("/")) {
            throw ApiException.badRequest("target-directory must be an absolute path that every node can read "
                    + "(a shared file system), was '" + directory + "'");
        }
        return Path.of(directory).normalize();
    }

    /**
     * The savepoint at {@code location} copied into {@code target} (none: as it is); completes with the
     * copy's location, which restores from the directory.
     */
    private CompletableFuture<String> copiedTo(Path target, CompletableFuture<String> location) {
        if (target == null) {
            return location;
        }
        return location.thenApplyAsync(l -> {
            try {
                SnapshotLocation from = SnapshotLocation.resolve(l, this::storeOf);
                SnapshotCopy.copy(from.store(), from.prefix(), new FileSnapshotStore(target));
                return SnapshotLocation.inDirectory(target, from.prefix());
            } catch (IOException e) {
                throw new CompletionException(new IOException("the savepoint " + l + " was taken but could not "
                        + "be written to " + target + ": " + e.getMessage(), e));
            }
        }, io);
    }

    private static String newTrigger() {
        return Long.toHexString(System.nanoTime()) + Integer.toHexString(new java.util.Random().nextInt());
    }

    @Override
    public Optional<SavepointStatus> savepoint(String jobId, String triggerId) throws ApiException {
        return master.savepointStatus(jobId, triggerId);
    }

    @Override
    public String stop(String jobId, String directory) throws ApiException {
        Path target = targetDirectory(directory);
        return master.savepoint(jobId, "stop with savepoint",
                j -> copiedTo(target, j.stop(JobMaster.savepointPrefix(newTrigger()))));
    }

    @Override
    public String rescale(String jobId, int parallelism) throws ApiException {
        if (parallelism < 1) {
            throw ApiException.badRequest("parallelism must be at least 1, was " + parallelism);
        }
        return master.savepoint(jobId, "rescale to " + parallelism,
                j -> j.rescale(JobMaster.savepointPrefix(newTrigger()), parallelism));
    }

    @Override
    public CheckpointStats checkpoints(String jobId) throws ApiException {
        return master.checkpoints(jobId);
    }

    @Override
    public String uploadJar(String fileName, byte[] jar) throws ApiException {
        return master.uploadJar(fileName, jar);
    }

    // ---- for tests and the CLI ----

    /** Control messages this node received, by kind (for the scaling figures in DESIGN.md). */
    public Map<String, Long> controlMessagesReceived() {
        return control.receivedCounts();
    }

    public String memberId() {
        return control.self();
    }

    public int httpPort() {
        return httpPort;
    }

    public int dataPort() {
        return exchange.port();
    }

    @Override
    public String metrics() {
        NodeMeters m = meters;
        return m == null ? "" : m.scrape(); // null while the node starts (the REST API is up first)
    }

    /** The data plane's accounting on this node (for metrics and tests). */
    public DataPlane.Stats dataPlaneStats() {
        return exchange.stats();
    }

    public int hazelcastPort() {
        return hz.getCluster().getLocalMember().getAddress().getPort();
    }

    /** Executions with tasks still running on this node (tests: split-brain, fencing). */
    public int runningExecutions() {
        return member.runningExecutions();
    }

    /** Records the current execution of a job consumed so far, summed over members (master only). */
    public long recordsIn(String jobId) {
        return master.recordsIn(jobId);
    }

    /**
     * The longest a graceful leave ({@link #close()}, on SIGTERM) takes with one job: the last node's
     * savepoint and the job's end, then its tasks stopping. A Kubernetes pod's
     * {@code terminationGracePeriodSeconds} should cover it (more jobs take longer).
     */
    public static java.time.Duration longestLeave() {
        return java.time.Duration.ofSeconds(SAVEPOINT_SECONDS + JOB_END_SECONDS)
                .plusMillis(LEAVE_GATHER_MILLIS + TASKS_STOP_MILLIS);
    }

    /** Leaves the cluster: this node's tasks stop, the master restarts them elsewhere. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        leaveKeepingQuorums();
        closed = true;
        // A leaving master stops driving jobs; the next oldest member takes them over when it is gone.
        master.deactivate();
        member.shutdown(TASKS_STOP_MILLIS);
        control.close();
        try {
            hz.shutdown();
        } catch (RuntimeException e) {
            LOG.debug("Hazelcast shutdown: {}", e.toString());
        }
        JobLoader.closeQuietly(rest);
        meters.close();
        exchange.close();
        timer.shutdownNow();
        controlThread.shutdownNow();
        io.shutdownNow();
        closeScheduler();
        vertx.close();
        for (SnapshotStore s : stores.values()) {
            JobLoader.closeQuietly(s);
        }
    }

    /**
     * Before leaving: says so, and waits while a job would lose its quorum without the members
     * leaving (the last nodes of a cluster scaled to zero, also when they are told to stop at the same
     * moment): the master stops such a job with a savepoint, which needs their tasks, to be resubmitted
     * from later. A job that keeps its quorum restarts on the others from its latest checkpoint.
     */
    private void leaveKeepingQuorums() {
        try {
            master.announceLeaving();
            // members told to stop at the same moment (a scale to zero) say so within this time
            Thread.sleep(LEAVE_GATHER_MILLIS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SAVEPOINT_SECONDS + JOB_END_SECONDS);
            while (master.anyJobLosesQuorumToLeavers()) {
                master.stopJobsLosingQuorumToLeavers(); // this node may be the master
                if (System.nanoTime() > deadline) {
                    LOG.warn("leaving although a job would lose its quorum: its savepoint did not end in time");
                    return;
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // no quorum to read the job records, Hazelcast shutting down
            LOG.warn("leaving without checking the jobs' quorums: {}", e.getMessage());
        }
    }

    private void closeScheduler() {
        try {
            scheduler.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
