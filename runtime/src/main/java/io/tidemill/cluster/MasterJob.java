package io.tidemill.cluster;

import com.hazelcast.core.IndeterminateOperationStateException;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.checkpoint.CheckpointFailuresException;
import io.tidemill.checkpoint.LoadedCheckpoint;
import io.tidemill.checkpoint.store.SnapshotStore;
import io.tidemill.cluster.ControlMessage.Deploy;
import io.tidemill.cluster.ControlMessage.Kind;
import io.tidemill.cluster.api.JobStatus;
import io.tidemill.local.IoLane;
import io.tidemill.plan.ExecutionPlan;
import io.tidemill.task.TaskBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job on the master: runs its executions one after the other, drives the checkpoint
 * coordinator of the current one, and restarts after failures from the latest completed checkpoint.
 *
 * <p>An execution goes: DEPLOY to every member that has tasks → all DEPLOYED (plans agree) → START
 * → RUNNING → FINISHED from every member. A failure anywhere (a task, a lost member or connection,
 * a refused deployment) makes the master CANCEL it on all its members; the next execution is
 * deployed only when every live member of the failed one reported FINISHED (or the wait timed out
 * for members that stopped answering), so no two executions of a job ever run tasks at once on
 * live members, and the old one's tasks on a dead member cannot reach the new one's (fencing by
 * execution id on the data plane and the control plane).
 *
 * <p>All methods are synchronized on this object; store reads, plan building and waiting happen on
 * the node's I/O pool, never while holding it.
 */
final class MasterJob {
    private static final Logger LOG = LoggerFactory.getLogger(MasterJob.class);
    private static final long FINISH_WAIT_MILLIS = 5_000;
    private static final long DEPLOY_WAIT_MILLIS = 30_000;

    final String id;
    private final JobMaster master;
    final JobRecord rec;
    private final SnapshotStore store;
    private final IoLane io;
    private Exec current;
    private boolean cancelRequested;
    /** Stop after the current execution ended (stop with savepoint), status FINISHED. */
    private boolean stopRequested;
    /** Restart at this parallelism from this snapshot once the current execution ended (rescale). */
    private Integer rescaleTo;
    private String rescaleFrom;
    private final CompletableFuture<JobStatus> terminal = new CompletableFuture<>();
    private ScheduledFuture<?> restartTimer;
    private boolean waitingForQuorum;
    /** The failure would repeat on a restart (the job cannot be deployed): the job fails. */
    private boolean failPermanently;

    /** One execution, as the master tracks it. */
    final class Exec {
        final long executionId;
        final ExecutionPlan plan;
        final List<String> placement;
        final Set<String> members;
        final Set<String> deployed = new HashSet<>();
        final Set<String> finished = new HashSet<>();
        /** Per task index: its last reported watermark and records in. */
        final Map<Integer, long[]> taskStats = new HashMap<>();
        final Map<String, Long> recordsIn = new HashMap<>();
        CheckpointCoordinator coordinator;
        ScheduledFuture<?> ticker;
        boolean started;
        String failure;
        boolean cancelled;
        ScheduledFuture<?> finishTimeout;

        Exec(long executionId, ExecutionPlan plan, List<String> placement) {
            this.executionId = executionId;
            this.plan = plan;
            this.placement = placement;
            this.members = new LinkedHashSet<>(placement);
        }
    }

    MasterJob(JobMaster master, JobRecord rec, SnapshotStore store) {
        this.id = rec.spec.id();
        this.master = master;
        this.rec = rec;
        this.store = store;
        this.io = new IoLane(master.io(), 2);
    }

    CompletableFuture<JobStatus> terminal() {
        return terminal;
    }

    synchronized Exec current() {
        return current;
    }

    // ---- launching ----

    /** Starts the next execution, from {@code restoreKey} ({@code <job id>/<prefix>}) or the latest commit. */
    void launch() {
        master.io().execute(this::launchNow);
    }

    private void launchNow() {
        String restoreKey;
        long restoredId = 0;
        ExecutionPlan plan;
        JobLoader.Loaded loaded;
        synchronized (this) {
            restartTimer = null;
            if (terminal.isDone() || current != null) {
                return;
            }
            if (cancelRequested) {
                end(JobStatus.CANCELLED, null);
                return;
            }
        }
        try {
            Restore restore = restorePoint();
            restoreKey = restore == null ? null : restore.key();
            // checkpoint ids go on above the restored one: sinks name their transactions by them
            restoredId = restore == null ? 0 : restore.checkpointId();
            loaded = JobLoader.load(rec.spec, master.jars());
            plan = loaded.plan();
            JobLoader.closeQuietly(loaded.closer());
        } catch (Exception | Error e) {
            synchronized (this) {
                if (lacksQuorum(e)) {
                    // this side of a split cannot read the job's snapshots: not a failure of the job
                    if (!waitingForQuorum) {
                        LOG.warn("job {}: cannot start without a quorum: {}", id, MemberExecution.describe(e));
                    }
                    waitingForQuorum = true;
                    setStatus(JobStatus.RESTARTING);
                    restartTimer = master.timer().schedule(this::launch, 1, TimeUnit.SECONDS);
                    return;
                }
                LOG.warn("job {}: cannot start: {}", id, MemberExecution.describe(e));
                end(JobStatus.FAILED, MemberExecution.describe(e));
            }
            return;
        }
        List<String> live = master.liveMembers();
        int quorum = quorum();
        synchronized (this) {
            if (!master.isOldestMember()) {
                LOG.info("job {}: not launched, this node is no longer the oldest member", id);
                return;
            }
            if (live.size() < quorum) {
                if (!waitingForQuorum) {
                    LOG.warn("job {}: {} live members, fewer than its quorum of {}: waiting for members", id,
                            live.size(), quorum);
                }
                waitingForQuorum = true;
                setStatus(JobStatus.RESTARTING);
                return;
            }
            waitingForQuorum = false;
            rec.maxMembers = Math.max(rec.maxMembers, live.size());
            List<String> placement = new ArrayList<>();
            for (var v : plan.vertices()) {
                for (int s = 0; s < v.parallelism(); s++) {
                    placement.add(live.get(s % live.size()));
                }
            }
            Exec e = new Exec(master.newExecutionId(), plan, placement);
            current = e;
            rec.executionId = e.executionId;
            setStatus(rec.status == null || JobStatus.valueOf(rec.status) == JobStatus.CREATED
                    ? JobStatus.CREATED : JobStatus.RESTARTING);
            // also without periodic checkpoints: savepoints, stop and rescale need a coordinator
            e.coordinator = coordinator(e, restoredId);
            Deploy d = new Deploy(rec.spec, placement, master.dataAddresses(e.members),
                    PlanFingerprint.describe(plan), restoreKey, quorum(), null);
            LOG.info("job {}: deploying execution {} on {} members{}", id, e.executionId, e.members.size(),
                    restoreKey == null ? "" : " from " + restoreKey);
            for (String m : e.members) {
                master.control().send(m, ControlMessage.of(Kind.DEPLOY, master.self(), id, e.executionId)
                        .withDeploy(d));
            }
            master.timer().schedule(() -> deployTimedOut(e), DEPLOY_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    private static boolean lacksQuorum(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SplitBrainProtectionException || c instanceof IndeterminateOperationStateException) {
                return true;
            }
        }
        return false;
    }

    /** A majority of the most members the job ran on, at least the node's configured quorum. */
    int quorum() {
        return master.quorumOf(rec);
    }

    private CheckpointCoordinator coordinator(Exec e, long restoredId) {
        long firstId = Math.max(rec.nextCheckpointId, restoredId + 1);
        try {
            firstId = Math.max(firstId, LoadedCheckpoint.highestIdInStore(store) + 1);
        } catch (Exception ex) {
            LOG.warn("job {}: cannot list its snapshot store: {}", id, ex.getMessage());
        }
        CheckpointConfig cc = checkpointConfig();
        CheckpointCoordinator c = new CheckpointCoordinator(cc, store, id, e.plan.maxParallelism(),
                TaskBuilder.taskInfos(e.plan), firstId, new ExecDriver(e), io).nameOperators(TaskBuilder.operatorNames(e.plan));
        try {
            for (Long chk : LoadedCheckpoint.completedIds(store)) {
                c.adoptRetained(chk, "chk-" + chk);
            }
        } catch (Exception ex) {
            LOG.warn("job {}: cannot list retained checkpoints: {}", id, ex.getMessage());
        }
        return c;
    }

    CheckpointConfig checkpointConfig() {
        long interval = rec.spec.checkpointIntervalMillis();
        CheckpointConfig base = interval > 0 ? CheckpointConfig.every(Duration.ofMillis(interval))
                : CheckpointConfig.DISABLED;
        return base.withMode(JobMaster.modeOf(rec.spec.checkpointMode()));
    }

    /**
     * Where the next execution resumes: the newest checkpoint recorded as committed that still loads,
     * else the newest completed in the store, else the savepoint the job was submitted with.
     */
    /** Where an execution resumes ({@code <job id>/<prefix>}) and the id of that snapshot. */
    private record Restore(String key, long checkpointId) {
        static Restore of(String storeJob, LoadedCheckpoint c) {
            return new Restore(storeJob + "/" + c.prefix(), c.metadata().checkpointId());
        }
    }

    private Restore restorePoint() throws Exception {
        String key = rescaleFrom;
        if (key != null) { // once: later restarts take the newest commit (the savepoint, or later)
            rescaleFrom = null;
            return load(key);
        }
        if (rec.lastCommittedKey != null) {
            try {
                return load(rec.lastCommittedKey);
            } catch (Exception e) {
                if (lacksQuorum(e)) {
                    throw e; // not a broken checkpoint: this side of a split may not read the store
                }
                LOG.warn("job {}: checkpoint {} cannot be restored ({}); trying the store's latest", id,
                        rec.lastCommittedKey, e.getMessage());
            }
        }
        LoadedCheckpoint latest = LoadedCheckpoint.latest(store);
        if (latest != null) {
            return Restore.of(id, latest);
        }
        return rec.spec.savepoint() == null ? null : load(rec.spec.savepoint());
    }

    /** Loads (and so verifies) the snapshot at {@code key}, a {@link SnapshotLocation}. */
    private Restore load(String key) throws Exception {
        SnapshotLocation at = SnapshotLocation.resolve(key, master::store);
        return new Restore(key, LoadedCheckpoint.load(at.store(), at.prefix()).metadata().checkpointId());
    }

    // ---- messages from members ----

    synchronized void onDeployed(ControlMessage m) {
        Exec e = current;
        if (e == null || e.executionId != m.executionId()) {
            return;
        }
        if (m.text() != null) {
            // a refused deployment repeats on every restart: the job fails; nothing runs on that member
            e.finished.add(m.from());
            failExecution(e, "member " + master.describeMember(m.from()) + " refused the job: " + m.text(), false);
            checkEnded(e);
            return;
        }
        e.deployed.add(m.from());
        if (e.deployed.containsAll(e.members) && !e.cancelled) {
            e.started = true;
            for (String member : e.members) {
                master.control().send(member, ControlMessage.of(Kind.START, master.self(), id, e.executionId));
            }
            setStatus(JobStatus.RUNNING);
            if (e.coordinator != null && checkpointConfig().interval() != null) {
                e.ticker = master.timer().scheduleAtFixedRate(() -> e.coordinator.tick(System.currentTimeMillis()),
                        10, 10, TimeUnit.MILLISECONDS);
            }
            LOG.info("job {}: execution {} running", id, e.executionId);
        }
    }

    synchronized void onFailed(ControlMessage m) {
        Exec e = current;
        if (e == null || e.executionId != m.executionId()) {
            return;
        }
        if (m.key() != null) {
            master.suspect(m.key());
        }
        failExecution(e, m.text(), true);
    }

    synchronized void onFinished(ControlMessage m) {
        Exec e = current;
        if (e == null || e.executionId != m.executionId()) {
            return;
        }
        if (m.text() != null && e.failure == null) {
            failExecution(e, m.text(), true);
        }
        e.finished.add(m.from());
        checkEnded(e);
    }

    synchronized void onAck(ControlMessage m) {
        Exec e = current;
        boolean accepted = e != null && e.executionId == m.executionId() && e.coordinator != null
                && e.coordinator.acknowledge(m.checkpointId(), m.task(), new CheckpointCoordinator.Ack(m.key(),
                m.bytes(), m.syncNanos(), m.alignNanos()));
        if (!accepted) {
            io.execute(() -> {
                try {
                    store.delete(m.key());
                } catch (Exception ex) {
                    LOG.warn("job {}: cannot delete refused blob {}: {}", id, m.key(), ex.getMessage());
                }
            });
        }
    }

    synchronized void onDecline(ControlMessage m) {
        Exec e = current;
        if (e != null && e.executionId == m.executionId() && e.coordinator != null) {
            e.coordinator.decline(m.checkpointId(), m.text(), null);
        }
    }

    synchronized void onSourceEnded(ControlMessage m) {
        Exec e = current;
        if (e != null && e.executionId == m.executionId() && e.coordinator != null && !stopRequested
                && rescaleTo == null) {
            e.coordinator.stop("a source finished");
        }
    }

    synchronized void onStats(ControlMessage m) {
        Exec e = current;
        if (e != null && e.executionId == m.executionId() && m.deploy() != null && m.deploy().stats() != null) {
            for (long[] t : m.deploy().stats()) {
                e.taskStats.put((int) t[0], t);
            }
            e.recordsIn.put(m.from(), m.bytes());
        }
    }

    /** A member left the cluster: an execution with tasks on it fails; it is no longer waited for. */
    synchronized void memberRemoved(String member) {
        Exec e = current;
        if (e == null || !e.members.contains(member)) {
            if (waitingForQuorum) {
                launch();
            }
            return;
        }
        e.finished.add(member);
        failExecution(e, "member " + member + " left the cluster", true);
        checkEnded(e);
    }

    /** The cluster grew: a job waiting for a quorum tries again. */
    synchronized void memberAdded() {
        if (waitingForQuorum && current == null) {
            launch();
        }
    }

    // ---- the end of an execution ----

    /** Fails the execution: cancels it on every member; {@code restartable}: the restart strategy may restart it. */
    private void failExecution(Exec e, String reason, boolean restartable) {
        if (e.failure != null || e.cancelled && !restartable) {
            return;
        }
        e.failure = reason;
        if (!restartable) {
            failPermanently = true;
        }
        LOG.warn("job {}: execution {} failed: {}", id, e.executionId, reason);
        cancelEverywhere(e);
    }

    private void cancelEverywhere(Exec e) {
        e.cancelled = true;
        if (e.coordinator != null) {
            e.coordinator.stop(e.failure != null ? "the execution failed" : "the execution is cancelled");
        }
        for (String m : e.members) {
            master.control().send(m, ControlMessage.of(Kind.CANCEL, master.self(), id, e.executionId));
        }
        if (e.finishTimeout == null) {
            e.finishTimeout = master.timer().schedule(() -> finishTimedOut(e), FINISH_WAIT_MILLIS,
                    TimeUnit.MILLISECONDS);
        }
    }

    /** Members that never answered a deployment (gone, or hung) fail it; the next one goes without them. */
    private synchronized void deployTimedOut(Exec e) {
        if (current != e || e.started || e.cancelled) {
            return;
        }
        Set<String> silent = new HashSet<>(e.members);
        silent.removeAll(e.deployed);
        silent.forEach(master::suspect);
        failExecution(e, "members " + silent + " did not deploy execution " + e.executionId + " within "
                + DEPLOY_WAIT_MILLIS + " ms", true);
    }

    private synchronized void finishTimedOut(Exec e) {
        if (current != e) {
            return;
        }
        Set<String> silent = new HashSet<>(e.members);
        silent.removeAll(e.finished);
        LOG.warn("job {}: members {} did not report the end of execution {} within {} ms; going on without them",
                id, silent, e.executionId, FINISH_WAIT_MILLIS);
        silent.forEach(master::suspect);
        e.finished.addAll(silent);
        checkEnded(e);
    }

    private void checkEnded(Exec e) {
        Set<String> waiting = new HashSet<>(e.members);
        waiting.removeAll(e.finished);
        waiting.retainAll(master.liveMembersSet());
        if (!waiting.isEmpty() || current != e) {
            return;
        }
        current = null;
        if (e.ticker != null) {
            e.ticker.cancel(false);
        }
        if (e.finishTimeout != null) {
            e.finishTimeout.cancel(false);
        }
        if (e.coordinator != null) {
            e.coordinator.stop("the execution ended");
            rec.nextCheckpointId = Math.max(rec.nextCheckpointId, e.coordinator.nextId());
            rec.checkpointsFailed += e.coordinator.failedCount();
            rec.checkpointsAborted += e.coordinator.abortedCount();
        }
        LOG.info("job {}: execution {} ended{}", id, e.executionId, e.failure == null ? "" : " (" + e.failure + ")");
        if (rescaleTo != null && e.failure == null) {
            rec.spec = withParallelism(rec.spec, rescaleTo);
            rescaleTo = null;
            master.save(rec);
            launch();
            return;
        }
        if (e.failure == null) {
            end(cancelRequested && !stopRequested ? JobStatus.CANCELLED : JobStatus.FINISHED, null);
            return;
        }
        rec.lastFailure = e.failure;
        if (failPermanently) {
            end(JobStatus.FAILED, e.failure);
            return;
        }
        if (cancelRequested) {
            end(stopRequested ? JobStatus.FINISHED : JobStatus.CANCELLED, e.failure);
            return;
        }
        if (rec.restarts >= rec.spec.restartAttempts()) {
            end(JobStatus.FAILED, e.failure);
            return;
        }
        rec.restarts++;
        setStatus(JobStatus.RESTARTING);
        LOG.warn("job {}: restart {} of {} in {} ms", id, rec.restarts, rec.spec.restartAttempts(),
                rec.spec.restartDelayMillis());
        restartTimer = master.timer().schedule(this::launch, rec.spec.restartDelayMillis(), TimeUnit.MILLISECONDS);
    }

    private static JobSpec withParallelism(JobSpec s, int p) {
        return new JobSpec(s.id(), s.className(), s.args(), p, s.jarId(), s.checkpointIntervalMillis(),
                s.checkpointMode(), s.restartAttempts(), s.restartDelayMillis(), s.savepoint());
    }

    private void end(JobStatus status, String failure) {
        if (terminal.isDone()) {
            return;
        }
        if (failure != null) {
            rec.lastFailure = failure;
        }
        rec.endTime = System.currentTimeMillis();
        setStatus(status);
        LOG.info("job {}: {}", id, status);
        terminal.complete(status);
        master.jobEnded(this);
    }

    private void setStatus(JobStatus s) {
        if (!s.name().equals(rec.status)) {
            rec.status = s.name();
            master.save(rec);
        }
    }

    // ---- requests ----

    synchronized void cancel() {
        cancelRequested = true;
        if (restartTimer != null) {
            restartTimer.cancel(false);
            restartTimer = null;
        }
        Exec e = current;
        if (e == null) {
            end(JobStatus.CANCELLED, null);
        } else if (!e.cancelled) {
            cancelEverywhere(e);
        }
    }

    /** Whether an execution runs that can take a savepoint now. */
    synchronized boolean canTakeSavepoint() {
        Exec e = current;
        return e != null && e.started && !e.cancelled && e.coordinator != null;
    }

    /** Checkpoints of the running execution that failed and were aborted so far (the record counts ended ones). */
    synchronized int[] currentCheckpointFailures() {
        Exec e = current;
        return e == null || e.coordinator == null ? new int[2]
                : new int[] {e.coordinator.failedCount(), e.coordinator.abortedCount()};
    }

    /** Takes a savepoint; the future completes with its location ({@code <job id>/<prefix>}). */
    synchronized CompletableFuture<String> savepoint(String prefix) {
        Exec e = current;
        if (e == null || !e.started || e.cancelled || e.coordinator == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("job " + id + " is not running"));
        }
        if (e.ticker == null) {
            // no periodic checkpoints: tick just for the savepoint
            e.ticker = master.timer().scheduleAtFixedRate(() -> e.coordinator.tick(System.currentTimeMillis()),
                    10, 10, TimeUnit.MILLISECONDS);
        }
        return e.coordinator.triggerSavepoint(prefix).thenApply(c -> id + "/" + c.prefix());
    }

    synchronized CompletableFuture<String> stop(String prefix) {
        return savepoint(prefix).thenApply(location -> {
            synchronized (MasterJob.this) {
                stopRequested = true;
                cancelRequested = true;
                Exec e = current;
                if (e != null && !e.cancelled) {
                    cancelEverywhere(e);
                }
            }
            return location;
        });
    }

    synchronized CompletableFuture<String> rescale(String prefix, int parallelism) {
        return savepoint(prefix).thenApply(location -> {
            synchronized (MasterJob.this) {
                rescaleTo = parallelism;
                rescaleFrom = location;
                Exec e = current;
                if (e != null && !e.cancelled) {
                    cancelEverywhere(e);
                }
            }
            return location;
        });
    }

    /** Stops driving the job without touching its executions: this node is no longer master. */
    synchronized void abandon() {
        Exec e = current;
        if (e != null) {
            if (e.ticker != null) {
                e.ticker.cancel(false);
            }
            if (e.coordinator != null) {
                e.coordinator.stop("this node is no longer the master");
            }
        }
        if (restartTimer != null) {
            restartTimer.cancel(false);
        }
        current = null;
    }

    // ---- CheckpointCoordinator.Driver of one execution ----

    /** Routes the coordinator's calls to the members of its execution, if it is still the current one. */
    private final class ExecDriver implements CheckpointCoordinator.Driver {
        private final Exec e;

        ExecDriver(Exec e) {
            this.e = e;
        }

        @Override
        public void injectBarrier(long checkpointId, boolean savepoint) {
            String prefix = e.coordinator.prefixOf(checkpointId);
            if (prefix == null) {
                return;
            }
            for (String m : e.members) {
                master.control().send(m, ControlMessage.of(Kind.INJECT, master.self(), id, e.executionId)
                        .withCheckpoint(checkpointId, prefix));
            }
        }

        @Override
        public void notifyComplete(long checkpointId) {
            CheckpointCoordinator.Completed done = null;
            for (CheckpointCoordinator.Completed c : e.coordinator.completed()) {
                if (c.id() == checkpointId) {
                    done = c;
                }
            }
            synchronized (MasterJob.this) {
                long committedBefore = rec.lastCommitted;
                String committedKeyBefore = rec.lastCommittedKey;
                if (done != null) { // savepoints too: the sinks commit them as they do checkpoints
                    rec.lastCommitted = checkpointId;
                    rec.lastCommittedKey = id + "/" + done.prefix();
                }
                rec.checkpointsCompleted++;
                if (done != null) {
                    var listener = master.checkpointListener;
                    if (listener != null) {
                        listener.accept(rec.name, done);
                    }
                    rec.history.add(new JobRecord.Checkpoint(checkpointId, id + "/" + done.prefix(),
                            done.durationMillis(), done.bytes()));
                    while (rec.history.size() > 10) {
                        rec.history.remove(0);
                    }
                }
                // The commit point: the job map refuses writes without a quorum of members, so a
                // minority side never tells its sinks to commit. Hazelcast updates that protection a
                // moment after its member list, and a member that just found itself alone writes
                // without backups: so the member list is checked after the write as well (it shrinks
                // first, and a write made while it was larger reached a backup on the other side).
                try {
                    master.saveOrThrow(rec);
                    int members = master.liveMembersSet().size();
                    if (members < quorum()) {
                        throw new IllegalStateException(members + " members, fewer than the job's quorum of "
                                + quorum());
                    }
                } catch (RuntimeException ex) {
                    // not committed: a later save of the record must not claim it
                    rec.lastCommitted = committedBefore;
                    rec.lastCommittedKey = committedKeyBefore;
                    failExecution(e, "cannot record checkpoint " + checkpointId + " as committed: " + ex.getMessage(),
                            true);
                    return;
                }
            }
            for (String m : e.members) {
                master.control().send(m, ControlMessage.of(Kind.COMPLETE, master.self(), id, e.executionId)
                        .withCheckpoint(checkpointId, null));
            }
        }

        @Override
        public void notifyAborted(long checkpointId) {}

        @Override
        public void failJob(CheckpointFailuresException cause) {
            synchronized (MasterJob.this) {
                if (current == e) {
                    failExecution(e, cause.getMessage(), true);
                }
            }
        }
    }
}
