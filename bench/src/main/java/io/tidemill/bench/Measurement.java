package io.tidemill.bench;

import io.tidemill.api.JobResult;
import io.tidemill.api.Pipeline;
import io.tidemill.bench.baseline.Baseline;
import io.tidemill.connector.file.DeadLetters;
import io.tidemill.connector.file.JsonLinesFileSink;
import io.tidemill.connector.nexmark.GeneratorConfig;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.NexmarkGenerator;
import io.tidemill.examples.cli.NexmarkJob;
import io.tidemill.local.LocalCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One cell of the benchmark table: a query run by one engine (the baseline, or Tidemill at a
 * parallelism) over a file or the generator, {@code warmups} times unmeasured (the JIT compiles
 * meanwhile), then {@code reps} times, reporting the best rate and the peak heap.
 *
 * <p>By default every cell runs in a fresh JVM, as JMH forks each benchmark. In one JVM, the JIT's
 * type profiles of the engine's shared code (chaining, windows, aggregate calls) collect every
 * query run before, so later queries pay for megamorphic calls that a job alone does not; the
 * baseline's per-query classes never share code and would not pay. A fresh JVM per cell gives both
 * the same start.
 */
record Measurement(Mode mode, String query, int parallelism, int warmups, int reps, Path input, Path output,
        long events) {
    /** What the events come from. */
    enum Mode { FILE, GENERATOR }

    /** {@code parallelism} 0 is the single-threaded baseline. */
    static final int BASELINE = 0;

    private static final String RESULT = "measurement ";

    /** Events per second and peak heap of the best repetition. */
    record Result(double eventsPerSecond, long peakHeapBytes) {}

    static Measurement file(String query, int parallelism, int warmups, int reps, Path input, Path output) {
        return new Measurement(Mode.FILE, query, parallelism, warmups, reps, input, output, 0);
    }

    static Measurement generator(String query, int parallelism, int warmups, int reps, long events) {
        return new Measurement(Mode.GENERATOR, query, parallelism, warmups, reps, Path.of("-"), Path.of("-"),
                events);
    }

    /** Runs this cell in this JVM. */
    Result runHere() throws Exception {
        for (int i = 0; i < warmups; i++) {
            once();
        }
        double bestRate = 0;
        long peak = 0;
        for (int i = 0; i < reps; i++) {
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            long n = once();
            double secs = (System.nanoTime() - t0) / 1e9;
            bestRate = Math.max(bestRate, n / secs);
            peak = Math.max(peak, peakHeap());
        }
        return new Result(bestRate, peak);
    }

    /** Runs this cell in a fresh JVM started with this JVM's command, flags and class path. */
    Result runForked() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Measurement.class.getName());
        cmd.addAll(List.of(mode.name(), query, String.valueOf(parallelism), String.valueOf(warmups),
                String.valueOf(reps),
                input.toString(), output.toString(), String.valueOf(events)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        Result result = null;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith(RESULT)) {
                    String[] f = line.substring(RESULT.length()).split(" ");
                    result = new Result(Double.parseDouble(f[0]), Long.parseLong(f[1]));
                }
            }
        }
        int exit = p.waitFor();
        if (exit != 0 || result == null) {
            throw new IllegalStateException("benchmark cell " + this + " failed in its JVM (exit " + exit + ")");
        }
        return result;
    }

    /** The forked JVM's entry point: runs one cell and prints its result on stdout. */
    public static void main(String[] args) throws Exception {
        Measurement m = new Measurement(Mode.valueOf(args[0]), args[1], Integer.parseInt(args[2]),
                Integer.parseInt(args[3]), Integer.parseInt(args[4]), Path.of(args[5]), Path.of(args[6]),
                Long.parseLong(args[7]));
        Result r = m.runHere();
        System.out.println(RESULT + r.eventsPerSecond() + " " + r.peakHeapBytes());
        System.exit(0);
    }

    private long once() throws Exception {
        if (mode == Mode.FILE) {
            if (parallelism == BASELINE) {
                return Baseline.run(query, input, output).events();
            }
            try (DeadLetters dead = DeadLetters.beside(output)) {
                return runJob(NexmarkJob.overFile(query, input, dead, JsonLinesFileSink.toFile(output), parallelism));
            }
        }
        if (parallelism == BASELINE) {
            NexmarkGenerator g = new NexmarkGenerator(GeneratorConfig.withSeed(42));
            long total = events;
            Iterator<NexmarkEvent> it = new Iterator<>() {
                long i;

                @Override
                public boolean hasNext() {
                    return i < total;
                }

                @Override
                public NexmarkEvent next() {
                    return g.event(i++);
                }
            };
            return Baseline.run(query, it).events();
        }
        return runJob(NexmarkJob.overGenerator(query, events, 0, 42, (subtask, par) -> (value, ts) -> { },
                parallelism));
    }

    private long runJob(Pipeline pipeline) {
        try (LocalCluster cluster = LocalCluster.start(Math.min(parallelism, Runtime.getRuntime()
                .availableProcessors()))) {
            JobResult r = cluster.execute(pipeline);
            return r.recordsIn();
        }
    }

    private static void resetPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static long peakHeap() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum;
    }
}
