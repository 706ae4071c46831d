package io.tidemill.bench;

import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.cli.Command;
import io.tidemill.cli.Options;
import io.tidemill.examples.cli.NexmarkJob;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code tidemill bench-checkpoints}: the cost of checkpoints. Runs q5 and q7 on the generator without
 * checkpoints and with checkpoints every 10 s and every 1 s (into a local directory), alternating
 * them in each of several repetitions, and prints throughput, the ratio to the run without
 * checkpoints of the same repetition (median, with the spread: the machine is shared and noisy),
 * checkpoint durations (p50, p99), the longest synchronous pause a task saw, and the state size.
 */
public final class CheckpointBenchCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("events", "parallelism", "queries", "intervals", "data", "reps");

    @Override
    public String name() {
        return "bench-checkpoints";
    }

    @Override
    public String summary() {
        return "checkpoint overhead on Nexmark q5 and q7: none vs every 10 s vs every 1 s";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill bench-checkpoints [--events N] [--parallelism P] [--queries q5,q7]
                                                  [--intervals none,10s,1s] [--reps R] [--data DIR]
                  --events       generated events per run (default 600000000: runs must span
                                 several of the longest interval)
                  --parallelism  default 2
                  --reps         repetitions; the intervals alternate within each (default 3)
                  --data         where checkpoints are written, then deleted (default bench-data)
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, OPTIONS, Set.of());
        long events = o.longValue("events", 600_000_000, 1);
        int parallelism = (int) o.longValue("parallelism", 2, 1);
        int reps = (int) o.longValue("reps", 3, 1);
        Path data = Path.of(o.string("data", "bench-data"));
        List<String> queries = Arrays.stream(o.string("queries", "q5,q7").split(",")).map(String::trim).toList();
        List<String> intervals = Arrays.stream(o.string("intervals", "none,10s,1s").split(",")).map(String::trim)
                .toList();
        if (!intervals.contains("none")) {
            throw new IllegalArgumentException("--intervals must include none, the run every ratio is against");
        }
        System.out.printf("checkpoint cost, %,d generated events per run, parallelism %d, %d cores, %d repetitions "
                + "(intervals alternate; ratios are per repetition, their median shown)%n", events, parallelism,
                Runtime.getRuntime().availableProcessors(), reps);
        System.out.printf("%-5s %-9s %12s %9s %17s %6s %9s %9s %11s %10s%n", "query", "interval", "events/s",
                "vs none", "(min..max)", "ckpts", "p50 ms", "p99 ms", "max sync ms", "state MB");
        for (String q : queries) {
            // Warm-up, not measured: the first run of a query in a JVM pays for JIT compilation.
            try (LocalCluster cluster = LocalCluster.start(parallelism)) {
                cluster.execute(NexmarkJob.overGenerator(q, Math.min(events, 30_000_000), 0, 42,
                        (subtask, par) -> (value, ts) -> { }, parallelism));
            }
            Map<String, List<Double>> rates = new LinkedHashMap<>();
            Map<String, List<CheckpointCoordinator.Completed>> checkpoints = new LinkedHashMap<>();
            for (int rep = 0; rep < reps; rep++) {
                for (String interval : intervals) {
                    List<CheckpointCoordinator.Completed> done = new ArrayList<>();
                    rates.computeIfAbsent(interval, k -> new ArrayList<>())
                            .add(measure(q, interval, events, parallelism, data, done));
                    checkpoints.computeIfAbsent(interval, k -> new ArrayList<>()).addAll(done);
                }
            }
            List<Double> none = rates.get("none");
            for (String interval : intervals) {
                List<Double> r = rates.get(interval);
                double[] ratios = new double[reps];
                for (int i = 0; i < reps; i++) {
                    ratios[i] = r.get(i) / none.get(i);
                }
                Arrays.sort(ratios);
                double[] sortedRates = r.stream().mapToDouble(Double::doubleValue).sorted().toArray();
                List<CheckpointCoordinator.Completed> done = checkpoints.get(interval);
                long[] durations = done.stream().mapToLong(CheckpointCoordinator.Completed::durationMillis).sorted()
                        .toArray();
                double maxSync = done.stream().mapToLong(CheckpointCoordinator.Completed::maxSyncNanos).max()
                        .orElse(0) / 1e6;
                long state = done.stream().mapToLong(CheckpointCoordinator.Completed::bytes).max().orElse(0);
                System.out.printf("%-5s %-9s %,12.0f %9.3f %17s %6d %9s %9s %11.1f %10.1f%n", q, interval,
                        sortedRates[reps / 2], ratios[reps / 2],
                        String.format("(%.3f..%.3f)", ratios[0], ratios[reps - 1]), done.size(),
                        Percentiles.of(durations, 50), Percentiles.of(durations, 99), maxSync, state / 1e6);
            }
        }
        return 0;
    }

    /** One run of {@code q} with checkpoints every {@code interval} (or none); returns events/s. */
    private static double measure(String q, String interval, long events, int parallelism, Path data,
                                  List<CheckpointCoordinator.Completed> done) throws Exception {
        JobOptions options = JobOptions.DEFAULT;
        Path dir = null;
        if (!interval.equals("none")) {
            dir = data.resolve("checkpoints-" + q + "-" + interval + "-" + System.nanoTime());
            Files.createDirectories(dir);
            options = JobOptions.checkpointed(CheckpointConfig.every(Options.parseDuration(interval)),
                    new FileSnapshotStore(dir)).withRestoreLatest(false);
        }
        long t0 = System.nanoTime();
        try (LocalCluster cluster = LocalCluster.start(parallelism)) {
            JobHandle job = cluster.submit(NexmarkJob.overGenerator(q, events, 0, 42,
                    (subtask, par) -> (value, ts) -> { }, parallelism), options);
            job.join();
            done.addAll(job.completedCheckpoints());
        }
        double rate = events / ((System.nanoTime() - t0) / 1e9);
        if (dir != null) {
            deleteTree(dir); // only the numbers matter; a run's checkpoints can be gigabytes
        }
        return rate;
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
