package io.tidemill.cluster;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemill.cluster.api.CheckpointStats;
import io.tidemill.cluster.api.JobStatus;
import io.tidemill.cluster.api.JobSummary;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.metrics.CheckpointMeters;
import io.tidemill.metrics.PrometheusMetrics;
import io.tidemill.metrics.SampledSeries;
import io.tidemill.metrics.TaskMeters;
import io.tidemill.net.DataPlane;
import io.tidemill.task.TaskCoreAccess;
import io.tidemill.task.TaskStats;
import io.tidemill.task.Tasklet;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's metrics, served at {@code GET /metrics}: the JVM's; the subtasks this node runs (see
 * {@link TaskMeters}, registered when an execution is deployed here and removed when it ends); the
 * cluster's members; each data connection's bytes, frames and records sent and received and its
 * credits; and, on the master, each job's status, restarts and checkpoints (with the distributions
 * of {@link CheckpointMeters}, fed as the master completes them). What comes and goes with
 * the cluster (peers, jobs) is sampled just before each scrape ({@link SampledSeries}).
 */
final class NodeMeters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeMeters.class);

    private final TidemillNode node;
    private final PrometheusMetrics metrics = PrometheusMetrics.create();
    private final PrometheusMeterRegistry registry = metrics.registry();
    /** The task meters of the execution of each job running here, by job id. */
    private final Map<String, TaskMeters> executions = new ConcurrentHashMap<>();
    /** The name of each job in {@link #executions}, by job id. */
    private final Map<String, String> jobNames = new ConcurrentHashMap<>();
    /** On the master: the checkpoint distributions of each job not ended, by job name. */
    private final Map<String, CheckpointMeters> checkpoints = new ConcurrentHashMap<>();
    /** On the master: when each job not ended last completed a checkpoint here (epoch millis), by job name. */
    private final Map<String, Long> lastCompletedAt = new ConcurrentHashMap<>();
    private final SampledSeries bytesSent;
    private final SampledSeries bytesReceived;
    private final SampledSeries framesSent;
    private final SampledSeries framesReceived;
    private final SampledSeries recordsSent;
    private final SampledSeries recordsReceived;
    private final SampledSeries credits;
    private final SampledSeries jobStatus;
    private final SampledSeries jobsByStatus;
    private final SampledSeries restarts;
    private final SampledSeries checkpointsCompleted;
    private final SampledSeries checkpointsFailed;
    private final SampledSeries checkpointsAborted;
    private final SampledSeries deadLetters;
    private final SampledSeries lastCheckpointId;
    private final SampledSeries lastCheckpointDuration;
    private final SampledSeries lastCheckpointSize;
    private final SampledSeries lastCheckpointAge;

    NodeMeters(TidemillNode node) {
        this.node = node;
        Gauge.builder("tidemill.cluster.members", node, n -> n.members().size())
                .description("members of the cluster, as this node sees them").register(registry);
        Gauge.builder("tidemill.node.master", node, n -> n.isMaster() ? 1 : 0)
                .description("1 on the job master, else 0").register(registry);
        Gauge.builder("tidemill.node.executions", node, TidemillNode::runningExecutions)
                .description("executions with tasks running on this node").register(registry);
        bytesSent = SampledSeries.counter(registry, "tidemill.exchange.sent.bytes", "bytes sent to a peer node");
        bytesReceived = SampledSeries.counter(registry, "tidemill.exchange.received.bytes",
                "bytes received from a peer node");
        framesSent = SampledSeries.counter(registry, "tidemill.exchange.sent.frames", "frames sent to a peer node");
        framesReceived = SampledSeries.counter(registry, "tidemill.exchange.received.frames",
                "frames received from a peer node");
        recordsSent = SampledSeries.counter(registry, "tidemill.exchange.sent.records", "records sent to a peer node");
        recordsReceived = SampledSeries.counter(registry, "tidemill.exchange.received.records",
                "records received from a peer node");
        credits = SampledSeries.gauge(registry, "tidemill.exchange.credits",
                "credits outstanding on the channels with a peer: direction=outbound, what this node may still "
                        + "send; inbound, what it granted and has not received yet");
        jobStatus = SampledSeries.gauge(registry, "tidemill.job.status",
                "1 for the status a job is in, 0 for the others (master only; jobs not ended)");
        jobsByStatus = SampledSeries.gauge(registry, "tidemill.jobs", "jobs by status (master only)");
        restarts = SampledSeries.counter(registry, "tidemill.restarts", "restarts of a job (master only)");
        checkpointsCompleted = SampledSeries.counter(registry, "tidemill.checkpoints.completed",
                "completed checkpoints of a job (master only)");
        checkpointsFailed = SampledSeries.counter(registry, "tidemill.checkpoints.failed",
                "failed checkpoints of a job (master only)");
        checkpointsAborted = SampledSeries.counter(registry, "tidemill.checkpoints.aborted",
                "checkpoints of a job in flight when one of its executions ended (master only)");
        deadLetters = SampledSeries.counter(registry, "tidemill.dead.letters",
                "malformed input records the sources of a job sent to their dead-letter output on this node "
                        + "(counted per execution)");
        lastCheckpointId = SampledSeries.gauge(registry, "tidemill.checkpoint.last.id",
                "id of a job's last completed checkpoint (master only)");
        lastCheckpointDuration = SampledSeries.gauge(registry, "tidemill.checkpoint.last.duration.seconds",
                "duration of a job's last completed checkpoint (master only)");
        lastCheckpointSize = SampledSeries.gauge(registry, "tidemill.checkpoint.last.size.bytes",
                "size of a job's last completed checkpoint (master only)");
        lastCheckpointAge = SampledSeries.gauge(registry, "tidemill.checkpoint.last.age.seconds",
                "time since a job's last checkpoint completed (master only; after a failover, from the first the "
                        + "new master completes)");
    }

    /** On the master: job {@code jobName} completed checkpoint {@code c}. */
    void checkpointCompleted(String jobName, CheckpointCoordinator.Completed c) {
        checkpoints.computeIfAbsent(jobName, n -> new CheckpointMeters(registry, Tags.of("job_name", n))).record(c);
        lastCompletedAt.put(jobName, System.currentTimeMillis());
    }

    /** An execution of job {@code jobId} was deployed here: its subtasks' meters replace the job's earlier ones. */
    void executionDeployed(String jobId, String jobName, List<Tasklet> tasks) {
        List<TaskStats> stats = new ArrayList<>(tasks.size());
        for (Tasklet t : tasks) {
            stats.add(TaskCoreAccess.stats(t));
        }
        synchronized (executions) {
            TaskMeters before = executions.remove(jobId);
            if (before != null) {
                before.close();
            }
            executions.put(jobId, TaskMeters.register(registry, jobName, stats));
            jobNames.put(jobId, jobName);
        }
    }

    /** The execution whose tasks are {@code tasks} ended here: its meters go, unless a newer one replaced them. */
    void executionEnded(String jobId, List<Tasklet> tasks) {
        synchronized (executions) {
            TaskMeters m = executions.get(jobId);
            if (m != null && !tasks.isEmpty() && m.stats().contains(TaskCoreAccess.stats(tasks.get(0)))) {
                executions.remove(jobId).close();
                jobNames.remove(jobId);
            }
        }
    }

    /** Samples what comes and goes, then scrapes. */
    synchronized String scrape() {
        try {
            sampleExchange();
            sampleJobs();
            sampleDeadLetters();
        } catch (RuntimeException e) {
            LOG.debug("sampling the cluster for metrics: {}", e.toString()); // the rest is still worth serving
        }
        return registry.scrape();
    }

    private void sampleExchange() {
        DataPlane.Stats s = node.dataPlaneStats();
        Map<Tags, Double> sent = new HashMap<>();
        Map<Tags, Double> received = new HashMap<>();
        Map<Tags, Double> fSent = new HashMap<>();
        Map<Tags, Double> fReceived = new HashMap<>();
        Map<Tags, Double> rSent = new HashMap<>();
        Map<Tags, Double> rReceived = new HashMap<>();
        for (DataPlane.ConnectionStats c : s.connections()) {
            Tags peer = Tags.of("peer", c.peer().toString());
            sent.merge(peer, (double) c.bytesSent(), Double::sum);
            received.merge(peer, (double) c.bytesReceived(), Double::sum);
            fSent.merge(peer, (double) c.framesSent(), Double::sum);
            fReceived.merge(peer, (double) c.framesReceived(), Double::sum);
            rSent.merge(peer, (double) c.recordsSent(), Double::sum);
            rReceived.merge(peer, (double) c.recordsReceived(), Double::sum);
        }
        Map<Tags, Double> outstanding = new HashMap<>();
        for (DataPlane.ConnectionStats c : s.connections()) {
            outstanding.put(Tags.of("direction", "inbound", "peer", c.peer().toString()), 0.0);
            outstanding.put(Tags.of("direction", "outbound", "peer", c.peer().toString()), 0.0);
        }
        for (DataPlane.ChannelStats c : s.channels()) {
            outstanding.merge(Tags.of("direction", c.inbound() ? "inbound" : "outbound", "peer", c.peer().toString()),
                    (double) c.credits(), Double::sum);
        }
        bytesSent.update(sent);
        bytesReceived.update(received);
        framesSent.update(fSent);
        framesReceived.update(fReceived);
        recordsSent.update(rSent);
        recordsReceived.update(rReceived);
        credits.update(outstanding);
    }

    private void sampleDeadLetters() {
        Map<Tags, Double> letters = new HashMap<>();
        synchronized (executions) {
            executions.forEach((jobId, meters) -> {
                long n = 0;
                for (TaskStats s : meters.stats()) {
                    n += s.deadLetters();
                }
                letters.merge(Tags.of("job_name", jobNames.getOrDefault(jobId, jobId)), (double) n, Double::sum);
            });
        }
        deadLetters.update(letters);
    }

    private void sampleJobs() {
        Map<Tags, Double> status = new HashMap<>();
        Map<Tags, Double> counts = new LinkedHashMap<>();
        Map<Tags, Double> restart = new HashMap<>();
        Map<Tags, Double> completed = new HashMap<>();
        Map<Tags, Double> failed = new HashMap<>();
        Map<Tags, Double> aborted = new HashMap<>();
        Map<Tags, Double> lastId = new HashMap<>();
        Map<Tags, Double> lastDuration = new HashMap<>();
        Map<Tags, Double> lastSize = new HashMap<>();
        Map<Tags, Double> lastAge = new HashMap<>();
        long now = System.currentTimeMillis();
        if (node.isMaster()) {
            for (JobStatus st : JobStatus.values()) {
                counts.put(Tags.of("status", st.name()), 0.0);
            }
            for (JobSummary j : node.jobs()) {
                counts.merge(Tags.of("status", j.status()), 1.0, Double::sum);
                if (isEnded(j.status())) {
                    continue; // an ended job's series go
                }
                Tags job = Tags.of("job_name", j.name());
                for (JobStatus st : JobStatus.values()) {
                    status.put(job.and("status", st.name()), st.name().equals(j.status()) ? 1.0 : 0.0);
                }
                restart.put(job, (double) j.restarts());
                Long at = lastCompletedAt.get(j.name());
                if (at != null) {
                    lastAge.put(job, (now - at) / 1000.0);
                }
                try {
                    CheckpointStats c = node.checkpoints(j.id());
                    completed.put(job, (double) c.completed());
                    failed.put(job, (double) c.failed());
                    aborted.put(job, (double) c.aborted());
                    if (!c.history().isEmpty()) {
                        CheckpointStats.Entry last = c.history().get(c.history().size() - 1);
                        lastId.put(job, (double) last.id());
                        lastDuration.put(job, last.durationMillis() / 1000.0);
                        lastSize.put(job, (double) last.bytes());
                    }
                } catch (Exception e) {
                    LOG.debug("job {}: no checkpoint stats for metrics: {}", j.id(), e.toString());
                }
            }
        }
        for (String name : List.copyOf(checkpoints.keySet())) {
            if (!restart.containsKey(Tags.of("job_name", name))) {
                CheckpointMeters gone = checkpoints.remove(name);
                if (gone != null) {
                    gone.close();
                }
                lastCompletedAt.remove(name);
            }
        }
        jobStatus.update(status);
        jobsByStatus.update(counts);
        restarts.update(restart);
        checkpointsCompleted.update(completed);
        checkpointsFailed.update(failed);
        checkpointsAborted.update(aborted);
        lastCheckpointId.update(lastId);
        lastCheckpointDuration.update(lastDuration);
        lastCheckpointSize.update(lastSize);
        lastCheckpointAge.update(lastAge);
    }

    private static boolean isEnded(String status) {
        try {
            return JobStatus.valueOf(status).isTerminal();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void close() {
        synchronized (executions) {
            executions.values().forEach(TaskMeters::close);
            executions.clear();
            jobNames.clear();
        }
        checkpoints.values().forEach(CheckpointMeters::close);
        checkpoints.clear();
        metrics.close();
    }
}
