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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code tidemill bench-checkpoints}: the cost of checkpoints. Runs q5 and q7 on the generator without
 * checkpoints and with checkpoints every 10 s and every 1 s (into a local directory), in one run, and
 * prints throughput, the overhead against the run without checkpoints, checkpoint durations (p50, p99),
 * the longest synchronous pause a task saw, and the state size.
 */
public final class CheckpointBenchCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("events", "parallelism", "queries", "intervals", "data");

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
                                                  [--intervals none,10s,1s] [--data DIR]
                  --events       generated events per run (default 30000000; runs should last > 10 s)
                  --parallelism  default 2
                  --data         where checkpoints are written (default bench-data)
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, OPTIONS, Set.of());
        long events = o.longValue("events", 30_000_000, 1);
        int parallelism = (int) o.longValue("parallelism", 2, 1);
        Path data = Path.of(o.string("data", "bench-data"));
        List<String> queries = Arrays.stream(o.string("queries", "q5,q7").split(",")).map(String::trim).toList();
        List<String> intervals = Arrays.stream(o.string("intervals", "none,10s,1s").split(",")).map(String::trim)
                .toList();
        System.out.printf("checkpoint cost, %,d generated events per run, parallelism %d, %d cores%n", events,
                parallelism, Runtime.getRuntime().availableProcessors());
        System.out.printf("%-5s %-9s %12s %9s %6s %9s %9s %11s %10s%n", "query", "interval", "events/s", "vs none",
                "ckpts", "p50 ms", "p99 ms", "max sync ms", "state MB");
        for (String q : queries) {
            // Warm-up, not measured: the first run of a query in a JVM pays for JIT compilation.
            try (LocalCluster cluster = LocalCluster.start(parallelism)) {
                cluster.execute(NexmarkJob.overGenerator(q, events / 4, 0, 42, (subtask, par) -> (value, ts) -> { },
                        parallelism));
            }
            double none = 0;
            for (String interval : intervals) {
                JobOptions options = JobOptions.DEFAULT;
                if (!interval.equals("none")) {
                    Path dir = data.resolve("checkpoints-" + q + "-" + interval + "-" + System.nanoTime());
                    Files.createDirectories(dir);
                    options = JobOptions.checkpointed(CheckpointConfig.every(Options.parseDuration(interval)), new FileSnapshotStore(dir))
                            .withRestoreLatest(false);
                }
                long t0 = System.nanoTime();
                List<CheckpointCoordinator.Completed> done;
                try (LocalCluster cluster = LocalCluster.start(parallelism)) {
                    JobHandle job = cluster.submit(NexmarkJob.overGenerator(q, events, 0, 42,
                            (subtask, par) -> (value, ts) -> { }, parallelism), options);
                    job.join();
                    done = job.completedCheckpoints();
                }
                double rate = events / ((System.nanoTime() - t0) / 1e9);
                if (interval.equals("none")) {
                    none = rate;
                }
                long[] durations = done.stream().mapToLong(CheckpointCoordinator.Completed::durationMillis).sorted()
                        .toArray();
                double maxSync = done.stream().mapToLong(CheckpointCoordinator.Completed::maxSyncNanos).max()
                        .orElse(0) / 1e6;
                long state = done.isEmpty() ? 0 : done.get(done.size() - 1).bytes();
                System.out.printf("%-5s %-9s %,12.0f %9s %6d %9s %9s %11.1f %10.1f%n", q, interval, rate,
                        none > 0 ? String.format("%.3f", rate / none) : "-", done.size(), Percentiles.of(durations, 50),
                        Percentiles.of(durations, 99), maxSync, state / 1e6);
            }
        }
        return 0;
    }
}
