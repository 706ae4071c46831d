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
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One cell of the benchmark table: a query run by one engine (the baseline, or Tidemill at a
 * parallelism) over a file or the generator. {@link #warmUp} runs it unmeasured (the JIT compiles
 * meanwhile); {@link #measure} runs it once and reports its rate and peak heap.
 *
 * <p>A cell runs in a fresh JVM of its own ({@link #fork}), as JMH forks each benchmark. In one JVM,
 * the JIT's type profiles of the engine's shared code (chaining, windows, aggregate calls) collect
 * every query run before, so later queries pay for megamorphic calls that a job alone does not; the
 * baseline's per-query classes never share code and would not pay. A fresh JVM per cell gives both
 * the same start. The forked JVM stays up between runs, so the harness can alternate the cells of a
 * query run by run, and drift in the machine's speed hits all of them alike.
 */
record Measurement(Mode mode, String query, int parallelism, Path input, Path output, long events) {
    /** What the events come from. */
    enum Mode { FILE, GENERATOR }

    /** {@code parallelism} 0 is the single-threaded baseline. */
    static final int BASELINE = 0;

    private static final String RESULT = "measured ";

    /** Events per second and peak heap of one run. */
    record Result(double eventsPerSecond, long peakHeapBytes) {}

    static Measurement file(String query, int parallelism, Path input, Path output) {
        return new Measurement(Mode.FILE, query, parallelism, input, output, 0);
    }

    static Measurement generator(String query, int parallelism, long events) {
        return new Measurement(Mode.GENERATOR, query, parallelism, Path.of("-"), Path.of("-"), events);
    }

    /** Runs the cell once, unmeasured. */
    void warmUp() throws Exception {
        once();
    }

    /** Runs the cell once, measured. */
    Result measure() throws Exception {
        System.gc();
        resetPeaks();
        long t0 = System.nanoTime();
        long n = once();
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Result(n / secs, peakHeap());
    }

    /** Where a cell runs: here, or in a JVM of its own. */
    interface Runner extends AutoCloseable {
        void warmUp() throws Exception;

        Result measure() throws Exception;

        @Override
        void close() throws Exception;
    }

    /** Runs this cell in this JVM. */
    Runner here() {
        return new Runner() {
            @Override
            public void warmUp() throws Exception {
                Measurement.this.warmUp();
            }

            @Override
            public Result measure() throws Exception {
                return Measurement.this.measure();
            }

            @Override
            public void close() {}
        };
    }

    /**
     * Starts a fresh JVM with this JVM's command, flags and class path for this cell, which runs
     * the cell whenever it is asked to.
     */
    Runner fork() throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Measurement.class.getName());
        cmd.addAll(List.of(mode.name(), query, String.valueOf(parallelism), input.toString(), output.toString(),
                String.valueOf(events)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader replies = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        PrintStream requests = new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8);
        String cell = "benchmark cell " + query + (parallelism == BASELINE ? " baseline" : " p" + parallelism);
        return new Runner() {
            private String ask(String request) throws IOException {
                requests.println(request);
                String reply = replies.readLine();
                if (reply == null) {
                    throw new IllegalStateException(cell + " failed in its JVM (see above)");
                }
                return reply;
            }

            @Override
            public void warmUp() throws IOException {
                ask("warmup");
            }

            @Override
            public Result measure() throws IOException {
                String reply = ask("measure");
                if (!reply.startsWith(RESULT)) {
                    throw new IllegalStateException(cell + " replied '" + reply + "'");
                }
                String[] f = reply.substring(RESULT.length()).split(" ");
                return new Result(Double.parseDouble(f[0]), Long.parseLong(f[1]));
            }

            @Override
            public void close() throws InterruptedException {
                requests.close();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
        };
    }

    /** The forked JVM's entry point: runs the cell for each request on stdin, replying on stdout. */
    public static void main(String[] args) throws Exception {
        Measurement m = new Measurement(Mode.valueOf(args[0]), args[1], Integer.parseInt(args[2]), Path.of(args[3]),
                Path.of(args[4]), Long.parseLong(args[5]));
        PrintStream replies = System.out;
        System.setOut(System.err); // stdout carries the replies only
        BufferedReader requests = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String request; (request = requests.readLine()) != null; ) {
            if (request.equals("warmup")) {
                m.warmUp();
                replies.println("warm");
            } else if (request.equals("measure")) {
                Result r = m.measure();
                replies.println(RESULT + r.eventsPerSecond() + " " + r.peakHeapBytes());
            }
            replies.flush();
        }
        System.exit(0);
    }

    private long once() throws Exception {
        if (mode == Mode.FILE) {
            if (parallelism == BASELINE) {
                return Baseline.run(query, input, output).events();
            }
            return runJob(NexmarkJob.overFile(query, input, DeadLetters.beside(output), JsonLinesFileSink.toFile(output),
                    parallelism));
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
