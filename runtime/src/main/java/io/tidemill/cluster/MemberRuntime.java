package io.tidemill.cluster;

import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.LoadedCheckpoint;
import io.tidemill.checkpoint.SnapshotUpload;
import io.tidemill.checkpoint.store.SnapshotStore;
import io.tidemill.cluster.ControlMessage.Deploy;
import io.tidemill.cluster.ControlMessage.Kind;
import io.tidemill.local.IoLane;
import io.tidemill.scheduler.CooperativeScheduler;
import io.tidemill.task.TaskBuilder;
import io.tidemill.task.Tasklet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member side of every job on this node: deploys its share of executions when the master says
 * so, runs, cancels and checkpoints them, and reports back. Fencing: an execution is known by its
 * id; a command for an execution this node does not run is ignored, and deploying a job's new
 * execution first cancels its older one here and waits until its tasks have stopped, so a sink of
 * the old execution cannot write after the new one restored.
 */
final class MemberRuntime {
    private static final Logger LOG = LoggerFactory.getLogger(MemberRuntime.class);

    private final ControlPlane control;
    private final CooperativeScheduler scheduler;
    private final Exchange exchange;
    private final ExecutorService io;
    private final Function<String, SnapshotStore> stores;
    private final com.hazelcast.map.IMap<String, byte[]> jars;
    private final TaskBuilder.Config config;
    private final Map<Long, MemberExecution> executions = new ConcurrentHashMap<>();
    /** Where this node's subtasks are published as metrics (null: nowhere). */
    volatile NodeMeters meters;

    MemberRuntime(ControlPlane control, CooperativeScheduler scheduler, Exchange exchange, ExecutorService io,
                  Function<String, SnapshotStore> stores, com.hazelcast.map.IMap<String, byte[]> jars,
                  TaskBuilder.Config config) {
        this.control = control;
        this.scheduler = scheduler;
        this.exchange = exchange;
        this.io = io;
        this.stores = stores;
        this.jars = jars;
        this.config = config;
    }

    /** Handles a command of the master (on the control thread). */
    void handle(ControlMessage m) {
        switch (m.kind()) {
            case DEPLOY -> deploy(m);
            case START -> {
                MemberExecution e = executions.get(m.executionId());
                if (e != null && !e.start(scheduler)) {
                    LOG.debug("execution {} was cancelled before it started", m.executionId());
                }
            }
            case CANCEL -> cancel(m);
            case INJECT -> {
                MemberExecution e = executions.get(m.executionId());
                if (e != null) {
                    e.injectBarrier(m.checkpointId(), m.key());
                }
            }
            case COMPLETE -> {
                MemberExecution e = executions.get(m.executionId());
                if (e != null) {
                    e.notifyComplete(m.checkpointId());
                }
            }
            default -> LOG.debug("member ignores {}", m.kind());
        }
    }

    /** Executions of {@code jobId} still running here. */
    private List<MemberExecution> ofJob(String jobId) {
        List<MemberExecution> list = new ArrayList<>();
        for (MemberExecution e : executions.values()) {
            if (e.jobId.equals(jobId)) {
                list.add(e);
            }
        }
        return list;
    }

    private void cancel(ControlMessage m) {
        List<MemberExecution> targets = m.executionId() == 0 ? ofJob(m.jobId())
                : executions.containsKey(m.executionId()) ? List.of(executions.get(m.executionId())) : List.of();
        targets.forEach(MemberExecution::cancel);
        if (m.executionId() == 0) {
            // the master waits for this before it deploys the job again
            CompletableFuture.allOf(targets.stream().map(MemberExecution::ended).toArray(CompletableFuture[]::new))
                    .orTimeout(30, TimeUnit.SECONDS)
                    .whenComplete((v, t) -> control.send(m.from(), ControlMessage.of(Kind.IDLE, control.self(),
                            m.jobId(), 0).withText(t == null ? null : "tasks did not stop within 30 s")));
        }
    }

    private void deploy(ControlMessage m) {
        // An older execution of the job still here (its master died, or a cancel got lost) stops first.
        List<MemberExecution> older = ofJob(m.jobId());
        older.forEach(MemberExecution::cancel);
        CompletableFuture.allOf(older.stream().map(MemberExecution::ended).toArray(CompletableFuture[]::new))
                .orTimeout(30, TimeUnit.SECONDS)
                .whenCompleteAsync((v, t) -> {
                    if (t != null) {
                        refuse(m, "tasks of an earlier execution of the job did not stop within 30 s");
                    } else {
                        build(m);
                    }
                }, io);
    }

    private void refuse(ControlMessage m, String why) {
        LOG.warn("job {}: cannot deploy execution {}: {}", m.jobId(), m.executionId(), why);
        control.send(m.from(), ControlMessage.of(Kind.DEPLOYED, control.self(), m.jobId(), m.executionId())
                .withText(why));
    }

    private void build(ControlMessage m) {
        Deploy d = m.deploy();
        JobSpec spec = d.spec();
        String self = control.self();
        JobLoader.Loaded loaded;
        try {
            loaded = JobLoader.load(spec, jars);
        } catch (Exception | Error e) {
            refuse(m, MemberExecution.describe(e));
            return;
        }
        String differs = PlanFingerprint.difference(d.vertices(), PlanFingerprint.describe(loaded.plan()));
        if (differs != null) {
            JobLoader.closeQuietly(loaded.closer());
            refuse(m, differs);
            return;
        }
        SnapshotStore store = stores.apply(spec.id());
        MemberExecution[] own = new MemberExecution[1];
        MemberExecution e = new MemberExecution(spec.id(), m.executionId(), m.from(), d.quorum(), control,
                new SnapshotUpload(store, new IoLane(io, 2), spec.id()), d.placement().size(), () -> {
                    executions.remove(m.executionId());
                    NodeMeters nm = meters;
                    if (nm != null && own[0] != null) {
                        nm.executionEnded(spec.id(), own[0].tasks);
                    }
                });
        own[0] = e;
        List<String> placement = d.placement();
        int[] firstTask = new int[loaded.plan().vertices().size()];
        int total = 0;
        for (var v : loaded.plan().vertices()) {
            firstTask[v.index()] = total;
            total += v.parallelism();
        }
        TaskBuilder.Placement here = (vertex, subtask) -> self.equals(placement.get(firstTask[vertex] + subtask));
        long exec = m.executionId();
        TaskBuilder.RemoteChannels remote = new TaskBuilder.RemoteChannels() {
            @Override
            public void inbound(int edge, int producer, int consumer, io.tidemill.exchange.Channel channel) {
                int from = loaded.plan().vertexOf().get(loaded.plan().edges().get(edge).from()).index();
                String member = placement.get(firstTask[from] + producer);
                exchange.inbound(exec, edge, producer, consumer, d.dataAddresses().get(member), channel,
                        loaded.loader());
            }

            @Override
            public void outbound(int edge, int producer, int consumer, io.tidemill.exchange.Channel channel) {
                int to = loaded.plan().vertexOf().get(loaded.plan().edges().get(edge).to()).index();
                String member = placement.get(firstTask[to] + consumer);
                exchange.outbound(exec, edge, producer, consumer, d.dataAddresses().get(member), channel);
            }
        };
        executions.put(exec, e);
        e.resources = () -> {
            exchange.release(exec);
            loaded.closer().close();
        };
        try {
            LoadedCheckpoint restore = null;
            if (d.restoreKey() != null) {
                SnapshotLocation at = SnapshotLocation.resolve(d.restoreKey(), stores);
                restore = LoadedCheckpoint.load(at.store(), at.prefix());
            }
            CheckpointConfig.Mode mode = JobMaster.modeOf(spec.checkpointMode());
            ClassLoader before = Thread.currentThread().getContextClassLoader();
            Thread.currentThread().setContextClassLoader(loaded.loader());
            List<Tasklet> tasks;
            try {
                tasks = new TaskBuilder(loaded.plan(), e, config, restore, mode).placed(here, remote).build();
            } finally {
                Thread.currentThread().setContextClassLoader(before);
            }
            NodeMeters nm = meters;
            if (nm != null) {
                nm.executionDeployed(spec.id(), loaded.plan().jobName(), tasks);
            }
            if (!e.deployed(tasks)) {
                if (nm != null) {
                    nm.executionEnded(spec.id(), tasks);
                }
                LOG.debug("execution {} was cancelled while it was deployed", exec);
                return;
            }
        } catch (Exception | Error ex) {
            executions.remove(exec);
            JobLoader.closeQuietly(e.resources);
            refuse(m, MemberExecution.describe(ex));
            return;
        }
        LOG.info("job {}: execution {} deployed here with {} tasks", spec.id(), exec, e.tasks.size());
        control.send(m.from(), ControlMessage.of(Kind.DEPLOYED, self, spec.id(), exec));
    }

    /** The data plane lost a connection or a frame went wrong: the execution fails here. */
    void executionFailed(long executionId, String reason, String lostPeer) {
        MemberExecution e = executions.get(executionId);
        if (e != null) {
            e.fail(new IllegalStateException(reason), lostPeer);
        }
    }

    /**
     * The cluster shrank: executions that need more members than are left stop (split-brain safety).
     * The stop is reported as a failure: a plain cancel would end with a clean FINISHED, which a
     * master on this (minority) side takes for the end of the job.
     */
    void membersChanged(int members) {
        for (MemberExecution e : executions.values()) {
            if (members < e.quorum) {
                LOG.warn("job {}: {} members left, fewer than the quorum of {}: cancelling execution {} here",
                        e.jobId, members, e.quorum, e.id);
                e.fail(new IllegalStateException("member " + control.self() + " sees " + members
                        + " members, fewer than the job's quorum of " + e.quorum), null);
                e.cancel();
            }
        }
    }

    /** Sends every running execution's progress to its master. */
    void reportStats() {
        for (MemberExecution e : executions.values()) {
            List<long[]> stats = e.taskStats();
            ControlMessage m = new ControlMessage(Kind.STATS, control.self(), e.jobId, e.id, 0, null, 0,
                    e.recordsIn(), 0, 0, null, new Deploy(null, null, null, null, null, 0, stats));
            control.send(e.master, m);
        }
    }

    /** Cancels everything and waits (bounded) for the tasks to stop. */
    void shutdown(long timeoutMillis) {
        for (MemberExecution e : executions.values()) {
            e.fail(new IllegalStateException("member " + control.self() + " is leaving the cluster"), control.self());
            e.cancel();
        }
        try {
            CompletableFuture.allOf(executions.values().stream().map(MemberExecution::ended)
                    .toArray(CompletableFuture[]::new)).get(timeoutMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            LOG.warn("tasks still running after {} ms at shutdown", timeoutMillis);
        }
    }

    int runningExecutions() {
        return executions.size();
    }
}
