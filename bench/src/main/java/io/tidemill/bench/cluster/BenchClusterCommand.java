package io.tidemill.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemill.cli.Command;
import io.tidemill.cli.Options;
import io.tidemill.cli.UsageException;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.examples.nexmark.NexmarkJob;
import io.tidemill.examples.nexmark.NexmarkQueries;
import io.tidemill.local.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code tidemill bench-cluster}: what running as a cluster costs, on this machine. Starts node JVMs
 * on loopback itself and
 * <ol>
 *   <li>runs Nexmark queries on two nodes against the embedded {@link LocalCluster} in this JVM, with
 *   the same job class, events, total parallelism and total worker threads, and reports events/s and
 *   the ratio cluster/embedded (median of the repetitions after warm-up runs of each: the JIT of
 *   the node JVMs, which only the cluster runs exercise, takes a few runs to settle);</li>
 *   <li>reads every node's {@code GET /exchange} before and after each cluster run and reports the
 *   records/s and MB/s each data connection sent;</li>
 *   <li>on a fresh three-node cluster per repetition, kills a worker or the master of a checkpointed
 *   q5 with SIGKILL and reports detection (kill to a new execution visible) and restore (to the new
 *   execution running and having read records).</li>
 * </ol>
 * Every node JVM is killed by its pid at the end, also on failure and, by a shutdown hook, on interrupt.
 */
public final class BenchClusterCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("events", "queries", "parallelism", "threads", "reps", "warmup",
            "recovery-reps", "recovery-rate", "work");
    /**
     * How often a cluster run's status is polled. Not the timer's resolution: a run ends at the job's
     * own end time. Polling costs the nodes CPU (a status is read from Hazelcast and rendered as
     * JSON), which on this machine is taken from the job: every 10 ms made a q5 run 15-20% slower.
     */
    private static final Duration POLL = Duration.ofMillis(100);
    private static final int RECOVERY_NODES = 3;

    @Override
    public String name() {
        return "bench-cluster";
    }

    @Override
    public String summary() {
        return "Nexmark on two node JVMs vs embedded, data plane rates, recovery after kill -9";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill bench-cluster [--events N] [--queries q0,q5,q8] [--parallelism P] [--threads T]
                                              [--reps R] [--recovery-reps K] [--recovery-rate EV_S]
                                              [--work DIR] [--keep]
                  --events         generated events per throughput run (default 5000000)
                  --queries        queries of the throughput runs (default q0,q5,q8)
                  --parallelism    total parallelism of both modes (default 2)
                  --threads        worker threads per node; the embedded run gets as many in total as
                                   the two nodes (default 1)
                  --reps           measured runs per query and mode (default 3)
                  --warmup         unmeasured runs per query and mode before them (default 2)
                  --recovery-reps  kills of a worker and of the master, each on a fresh 3-node cluster
                                   (default 5; 0 skips recovery)
                  --recovery-rate  events/s of the recovered job's generator (default 40000)
                  --work           job output and node logs (default a temp dir)
                  --keep           keep the work directory (deleted by default)
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, OPTIONS, Set.of("keep"));
        long events = o.longValue("events", 5_000_000, 1);
        int parallelism = (int) o.longValue("parallelism", 2, 1);
        int threads = (int) o.longValue("threads", 1, 1);
        int reps = (int) o.longValue("reps", 3, 1);
        int warmup = (int) o.longValue("warmup", 2, 0);
        int recoveryReps = (int) o.longValue("recovery-reps", 5, 0);
        long rate = o.longValue("recovery-rate", 40_000, 1);
        List<String> queries = Arrays.stream(o.string("queries", "q0,q5,q8").split(",")).map(String::trim).toList();
        for (String q : queries) {
            if (!NexmarkQueries.names().contains(q)) {
                throw new UsageException("unknown query '" + q + "'; known: " + NexmarkQueries.names());
            }
        }
        Path work = o.has("work") ? Files.createDirectories(Path.of(o.required("work")))
                : Files.createTempDirectory("tidemill-bench-cluster");
        Thread hook = new Thread(() -> NodeCluster.LIVE.forEach(NodeJvm::kill), "bench-cluster-kill-nodes");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            List<String> rows = throughput(work, queries, events, parallelism, threads, reps, warmup);
            if (recoveryReps > 0) {
                rows.addAll(recovery(work, recoveryReps, rate, threads));
            }
            rows.forEach(System.out::println);
            return 0;
        } finally {
            NodeCluster.LIVE.forEach(NodeJvm::kill);
            NodeCluster.LIVE.clear();
            Runtime.getRuntime().removeShutdownHook(hook);
            if (o.has("keep")) {
                System.err.println("bench-cluster: job output and node logs kept in " + work);
            } else {
                deleteTree(work);
            }
        }
    }

    // --- throughput and exchange -------------------------------------------------------------

    private List<String> throughput(Path work, List<String> queries, long events, int parallelism, int threads,
                                    int reps, int warmup) throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add(String.format("cluster vs embedded: %,d generated events per run, parallelism %d; cluster: 2 node "
                + "JVMs x %d worker thread(s) on loopback; embedded: LocalCluster in this JVM with %d worker "
                + "threads; %d core(s); median of %d rep(s) after %d warm-up rep(s) of each", events, parallelism,
                threads, 2 * threads, Runtime.getRuntime().availableProcessors(), reps, warmup));
        rows.add("cluster runs timed from POST /jobs to the job's endTime (GET /jobs/{id}, polled every "
                + POLL.toMillis() + " ms; same machine clock), nothing subtracted; both write the rows to JSON-lines "
                + "files");
        rows.add(String.format("%-5s %14s %14s %9s %17s", "query", "embedded ev/s", "cluster ev/s", "ratio",
                "(min..max)"));
        List<String> exchangeRows = new ArrayList<>();
        exchangeRows.add("");
        exchangeRows.add("data plane during the cluster runs (GET /exchange deltas; each connection's sending "
                + "side; median over reps)");
        exchangeRows.add(String.format("%-5s %-27s %12s %9s %10s", "query", "connection (sender->peer)", "records/s",
                "MB/s", "bytes/rec"));
        progress("starting 2 node JVMs");
        try (NodeCluster cluster = NodeCluster.start(2, threads, work)) {
            for (String q : queries) {
                List<Double> embedded = new ArrayList<>();
                List<Double> onCluster = new ArrayList<>();
                Map<String, List<double[]>> links = new LinkedHashMap<>();
                for (int rep = 1 - warmup; rep <= reps; rep++) {
                    String label = rep <= 0 ? "warm-up" : "rep " + rep + "/" + reps;
                    double e = embedded(work, q, events, parallelism, 2 * threads);
                    progress(String.format("%s %s embedded: %,.0f ev/s", q, label, e));
                    Map<String, double[]> sent = new HashMap<>();
                    double c = clustered(cluster, work, q, events, parallelism, sent);
                    progress(String.format("%s %s cluster:  %,.0f ev/s (%.2fx)", q, label, c, c / e));
                    if (rep > 0) {
                        embedded.add(e);
                        onCluster.add(c);
                        sent.forEach((link, v) -> links.computeIfAbsent(link, k -> new ArrayList<>()).add(v));
                    }
                }
                double[] ratios = new double[reps];
                for (int i = 0; i < reps; i++) {
                    ratios[i] = onCluster.get(i) / embedded.get(i);
                }
                Arrays.sort(ratios);
                rows.add(String.format("%-5s %,14.0f %,14.0f %8.2fx %17s", q, median(embedded), median(onCluster),
                        ratios[reps / 2], String.format("(%.2f..%.2f)", ratios[0], ratios[reps - 1])));
                if (links.isEmpty()) {
                    exchangeRows.add(String.format("%-5s %-27s", q, "(no data connection used)"));
                }
                links.forEach((link, v) -> {
                    double records = median(v.stream().map(x -> x[0]).toList());
                    double bytes = median(v.stream().map(x -> x[1]).toList());
                    exchangeRows.add(String.format("%-5s %-27s %,12.0f %9.1f %10.1f", q, link, records, bytes / 1e6,
                            records == 0 ? 0 : bytes / records));
                });
            }
        }
        rows.addAll(exchangeRows);
        return rows;
    }

    /** One embedded run of the job class the cluster runs, with the same arguments; returns events/s. */
    private static double embedded(Path work, String q, long events, int parallelism, int workers)
            throws IOException {
        Path out = work.resolve("out-embedded-" + q);
        long t0 = System.nanoTime();
        try (LocalCluster local = LocalCluster.start(workers)) {
            local.execute(new NexmarkJob().build(jobArgs(q, events, 0, out, false)).setParallelism(parallelism));
        }
        double rate = events / ((System.nanoTime() - t0) / 1e9);
        deleteTree(out); // a q0 run writes every event
        return rate;
    }

    /**
     * One cluster run: submit, poll to FINISHED, timed to the job's end time; returns events/s and puts
     * each connection's sent records/s and bytes/s into {@code sent}.
     */
    private static double clustered(NodeCluster cluster, Path work, String q, long events, int parallelism,
                                    Map<String, double[]> sent) throws Exception {
        Path out = work.resolve("out-cluster-" + q);
        String url = cluster.nodes.get(0).url();
        Map<String, long[]> before = exchange(cluster);
        long t0 = System.nanoTime();
        long submitted = System.currentTimeMillis();
        String id = Rest.post(url + "/jobs", new SubmitRequest(NexmarkJob.class.getName(),
                jobArgs(q, events, 0, out, false), parallelism, null, 0, null, 0, 0L, null)).get("jobId").asText();
        long deadline = t0 + Duration.ofMinutes(30).toNanos();
        long ended;
        while (true) {
            JsonNode d = Rest.get(url + "/jobs/" + id, Duration.ofSeconds(10));
            String status = d.get("status").asText();
            if (status.equals("FINISHED")) {
                ended = d.get("endTime").asLong();
                break;
            }
            if (status.equals("FAILED") || status.equals("CANCELLED") || d.get("restarts").asInt() > 0) {
                throw new IOException(q + " on the cluster did not run through: " + d + "\n" + cluster.logTails(40));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException(q + " on the cluster did not finish within 30 min: " + d);
            }
            Thread.sleep(POLL.toMillis());
        }
        double seconds = Math.max(1, ended - submitted) / 1e3;
        Map<String, long[]> after = exchange(cluster);
        after.forEach((link, a) -> {
            long[] b = before.getOrDefault(link, new long[2]);
            sent.put(link, new double[] {(a[0] - b[0]) / seconds, (a[1] - b[1]) / seconds});
        });
        deleteTree(out);
        return events / seconds;
    }

    /** Every node's connections: "node i->peer" to {records sent, bytes sent}. */
    private static Map<String, long[]> exchange(NodeCluster cluster) throws Exception {
        Map<String, long[]> links = new LinkedHashMap<>();
        for (int i = 0; i < cluster.nodes.size(); i++) {
            JsonNode x = Rest.get(cluster.nodes.get(i).url() + "/exchange", Duration.ofSeconds(10));
            for (JsonNode c : x.get("connections")) {
                links.put("node" + i + "->" + c.get("peer").asText(),
                        new long[] {c.get("recordsSent").asLong(), c.get("bytesSent").asLong()});
            }
        }
        return links;
    }

    private static List<String> jobArgs(String q, long events, long rate, Path out, boolean exactlyOnce) {
        List<String> a = new ArrayList<>(List.of("--query", q, "--events", String.valueOf(events), "--output",
                out.toString()));
        if (rate > 0) {
            a.addAll(List.of("--rate", String.valueOf(rate)));
        }
        if (exactlyOnce) {
            a.add("--exactly-once");
        }
        return a;
    }

    // --- recovery ----------------------------------------------------------------------------

    private List<String> recovery(Path work, int reps, long rate, int threads) throws Exception {
        List<String> rows = new ArrayList<>();
        int parallelism = RECOVERY_NODES * threads;
        rows.add("");
        rows.add(String.format("recovery after kill -9: a fresh %d-node cluster per rep, q5 at %,d events/s, "
                + "parallelism %d, exactly-once checkpoints every 500 ms, restart delay 200 ms; detection: kill "
                + "to a new execution seen; restore: from then to it RUNNING with records read by vertex 0 "
                + "(survivors polled in turn, 500 ms timeout, every 20 ms; members report records every 1 s, so restore "
                + "includes up to 1 s of that cadence)", RECOVERY_NODES, rate, parallelism));
        rows.add(String.format("%-7s %13s %11s %9s  %s", "killed", "detection ms", "restore ms", "total ms",
                "all (detection+restore)"));
        for (boolean master : new boolean[] {false, true}) {
            String who = master ? "master" : "worker";
            List<Double> detection = new ArrayList<>();
            List<Double> restore = new ArrayList<>();
            List<Double> total = new ArrayList<>();
            List<String> all = new ArrayList<>();
            for (int rep = 1; rep <= reps; rep++) {
                progress(String.format("recovery %s %d/%d: starting %d node JVMs", who, rep, reps, RECOVERY_NODES));
                long[] seen = recoverOnce(work, master, rate, parallelism, threads);
                progress(String.format("recovery %s %d/%d: new execution after %d ms, first records after %d ms",
                        who, rep, reps, seen[0], seen[1]));
                detection.add((double) seen[0]);
                restore.add((double) (seen[1] - seen[0]));
                total.add((double) seen[1]);
                all.add(seen[0] + "+" + (seen[1] - seen[0]));
            }
            rows.add(String.format("%-7s %13.0f %11.0f %9.0f  %s", who, median(detection), median(restore),
                    median(total), String.join(" ", all)));
        }
        return rows;
    }

    /** Kills a worker or the master mid-run; returns ms from the kill to the new execution and to its first records. */
    private static long[] recoverOnce(Path work, boolean killMaster, long rate, int parallelism, int threads)
            throws Exception {
        try (NodeCluster cluster = NodeCluster.start(RECOVERY_NODES, threads, work)) {
            NodeJvm master = cluster.master();
            NodeJvm victim = killMaster ? master
                    : cluster.nodes.stream().filter(n -> n != master).findFirst().orElseThrow();
            List<NodeJvm> survivors = cluster.nodes.stream().filter(n -> n != victim).toList();
            Path out = work.resolve("out-recovery-" + System.nanoTime());
            // long enough to outlast the checkpoints before the kill and the recovery after it
            long events = rate * 120;
            String id = Rest.post(survivors.get(0).url() + "/jobs", new SubmitRequest(NexmarkJob.class.getName(),
                    jobArgs("q5", events, rate, out, true), parallelism, null, 500, "exactly-once", 1_000, 200L,
                    null)).get("jobId").asText();
            String job = "/jobs/" + id;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                JsonNode c = Rest.tryGet(survivors.get(0).url() + job + "/checkpoints", Duration.ofSeconds(5));
                if (c != null && c.get("completed").asInt() >= 2) {
                    break;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no two checkpoints completed within 60 s: " + c + "\n"
                            + cluster.logTails(40));
                }
                Thread.sleep(50);
            }
            long executionBefore = Rest.get(survivors.get(0).url() + job, Duration.ofSeconds(10))
                    .get("executionId").asLong();
            long killedAt = System.nanoTime();
            cluster.kill(victim);
            long[] seen = new long[2];
            int turn = 0;
            deadline = killedAt + Duration.ofSeconds(60).toNanos();
            while (seen[1] == 0) {
                // short timeouts, asking the survivors in turn: a request forwarded to the dead master may hang
                JsonNode d = Rest.tryGet(survivors.get(turn++ % survivors.size()).url() + job, Duration.ofMillis(500));
                long now = (System.nanoTime() - killedAt) / 1_000_000;
                if (d != null && d.get("executionId").asLong() != executionBefore) {
                    seen[0] = seen[0] == 0 ? now : seen[0];
                    if (d.get("status").asText().equals("RUNNING") && vertexZeroRead(d)) {
                        seen[1] = now;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no recovery within 60 s of kill -9 of the "
                            + (killMaster ? "master" : "worker") + ": " + d + "\n" + cluster.logTails(40));
                }
                Thread.sleep(20);
            }
            return seen;
        }
    }

    private static boolean vertexZeroRead(JsonNode details) {
        for (JsonNode v : details.get("vertices")) {
            if (v.get("index").asInt() == 0 && v.get("recordsIn").asLong() > 0) {
                return true;
            }
        }
        return false;
    }

    // --- small parts -------------------------------------------------------------------------

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length == 0 ? Double.NaN : v[v.length / 2];
    }

    private static void progress(String line) {
        System.err.println("bench-cluster: " + line);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
