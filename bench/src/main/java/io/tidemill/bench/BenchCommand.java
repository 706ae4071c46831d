package io.tidemill.bench;

import io.tidemill.api.JobResult;
import io.tidemill.api.Pipeline;
import io.tidemill.bench.baseline.Baseline;
import io.tidemill.bench.baseline.BaselineResult;
import io.tidemill.cli.Command;
import io.tidemill.cli.Options;
import io.tidemill.cli.UsageException;
import io.tidemill.connector.file.DeadLetters;
import io.tidemill.connector.file.JsonLinesFileSink;
import io.tidemill.connector.nexmark.GeneratorConfig;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.NexmarkFileWriter;
import io.tidemill.connector.nexmark.NexmarkGenerator;
import io.tidemill.examples.cli.NexmarkJob;
import io.tidemill.local.LocalCluster;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * {@code tidemill bench}: the Nexmark harness. Generates an event file once, then runs every query on
 * it with the single-threaded baseline and with Tidemill at each parallelism, in one run, and prints
 * events/s, the ratio to the baseline (measured in the same run, so the noise of a shared machine
 * mostly cancels) and the peak heap. Generator mode (no parsing) runs q0, q5 and q7 the same way.
 */
public final class BenchCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("events", "reps", "data", "queries", "parallelism",
            "generator-events", "generator-queries");

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "Nexmark benchmark: every query, baseline vs Tidemill, file and generator mode";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill bench [--events N] [--reps R] [--data DIR] [--queries q0,q5,...]
                                      [--parallelism 1,2] [--generator-events N] [--generator-queries q0,q5,q7]
                  --events            events in the generated input file (default 2000000; made once in DIR)
                  --reps              repetitions of every measurement (default 3; the best is reported)
                  --data              where the input file and outputs go (default bench-data)
                  --queries           queries in file mode (default all)
                  --parallelism       Tidemill parallelisms (default 1,2)
                  --generator-events  events in generator mode (default 10000000; 0 skips it)
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, OPTIONS, Set.of());
        long events = o.longValue("events", 2_000_000, 1);
        int reps = (int) o.longValue("reps", 3, 1);
        long genEvents = o.longValue("generator-events", 10_000_000, 0);
        Path data = Path.of(o.string("data", "bench-data"));
        List<String> queries = list(o.string("queries", "q0,q1,q2,q3,q4,q5,q7,q8,q11"));
        List<String> genQueries = list(o.string("generator-queries", "q0,q5,q7"));
        int[] pars = list(o.string("parallelism", "1,2")).stream().mapToInt(s -> {
            try {
                return Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new UsageException("option --parallelism expects numbers like 1,2; got '" + s + "'");
            }
        }).toArray();
        Files.createDirectories(data);
        Path input = data.resolve("nexmark-" + events + ".jsonl");
        if (!Files.exists(input)) {
            System.err.printf("generating %,d events into %s ...%n", events, input);
            NexmarkFileWriter.generate(events, 3000, 42, input);
        }
        System.out.printf("Nexmark on %s (%,d events, %d MB), best of %d, %d cores%n", input, events,
                Files.size(input) >> 20, reps, Runtime.getRuntime().availableProcessors());
        List<String> header = new ArrayList<>(List.of("query", "baseline ev/s"));
        for (int p : pars) {
            header.add("p" + p + " ev/s");
            header.add("p" + p + "/base");
        }
        header.add("peak heap MB (base/" + String.join("/", Arrays.stream(pars).mapToObj(p -> "p" + p).toList()) + ")");
        Table file = new Table(header);
        for (String q : queries) {
            Path out = data.resolve("out-" + q + ".jsonl");
            Measure base = best(reps, () -> {
                BaselineResult r = Baseline.run(q, input, out);
                return r.events();
            });
            List<Measure> engine = new ArrayList<>();
            for (int p : pars) {
                engine.add(best(reps, () -> {
                    try (DeadLetters dead = DeadLetters.beside(out)) {
                        Pipeline pipeline = NexmarkJob.overFile(q, input, dead, JsonLinesFileSink.toFile(out), p);
                        return runJob(pipeline, p);
                    }
                }));
            }
            file.add(q, base, engine);
        }
        System.out.println();
        System.out.println("file mode (parse JSON, run the query, write JSON lines):");
        file.print();
        if (genEvents > 0) {
            Table gen = new Table(header);
            for (String q : genQueries) {
                Measure base = best(reps, () -> {
                    NexmarkGenerator g = new NexmarkGenerator(GeneratorConfig.withSeed(42));
                    Iterator<NexmarkEvent> it = new Iterator<>() {
                        long i;

                        @Override
                        public boolean hasNext() {
                            return i < genEvents;
                        }

                        @Override
                        public NexmarkEvent next() {
                            return g.event(i++);
                        }
                    };
                    return Baseline.run(q, it).events();
                });
                List<Measure> engine = new ArrayList<>();
                for (int p : pars) {
                    engine.add(best(reps, () -> runJob(NexmarkJob.overGenerator(q, genEvents, 0, 42,
                            (subtask, parallelism) -> (value, ts) -> { }, p), p)));
                }
                gen.add(q, base, engine);
            }
            System.out.println();
            System.out.printf("generator mode (%,d events, no parsing, rows counted not written):%n", genEvents);
            gen.print();
        }
        return 0;
    }

    private static long runJob(Pipeline pipeline, int parallelism) {
        try (LocalCluster cluster = LocalCluster.start(Math.min(parallelism, Runtime.getRuntime()
                .availableProcessors()))) {
            JobResult r = cluster.execute(pipeline);
            return r.recordsIn();
        }
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Events per second and peak heap of the best repetition. */
    record Measure(double eventsPerSecond, long peakHeapBytes) {}

    @FunctionalInterface
    interface Run {
        long events() throws Exception;
    }

    private static Measure best(int reps, Run run) throws Exception {
        double bestRate = 0;
        long peak = 0;
        for (int i = 0; i < reps; i++) {
            System.gc();
            resetPeaks();
            long t0 = System.nanoTime();
            long n = run.events();
            double secs = (System.nanoTime() - t0) / 1e9;
            bestRate = Math.max(bestRate, n / secs);
            peak = Math.max(peak, peakHeap());
        }
        return new Measure(bestRate, peak);
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

    /** A plain-text table. */
    private static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        Table(List<String> header) {
            this.header = header;
        }

        void add(String query, Measure base, List<Measure> engine) {
            List<String> row = new ArrayList<>();
            row.add(query);
            row.add(String.format("%,.0f", base.eventsPerSecond()));
            StringBuilder heap = new StringBuilder(String.valueOf(base.peakHeapBytes() >> 20));
            for (Measure m : engine) {
                row.add(String.format("%,.0f", m.eventsPerSecond()));
                row.add(String.format("%.2fx", m.eventsPerSecond() / base.eventsPerSecond()));
                heap.append('/').append(m.peakHeapBytes() >> 20);
            }
            row.add(heap.toString());
            rows.add(row);
            System.err.println("  " + String.join("  ", row));
        }

        void print() {
            int[] w = new int[header.size()];
            for (int i = 0; i < w.length; i++) {
                w[i] = header.get(i).length();
                for (List<String> r : rows) {
                    w[i] = Math.max(w[i], r.get(i).length());
                }
            }
            printRow(header, w);
            for (List<String> r : rows) {
                printRow(r, w);
            }
        }

        private static void printRow(List<String> cells, int[] w) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cells.size(); i++) {
                sb.append(String.format(i == 0 ? "%-" + w[i] + "s" : "  %" + w[i] + "s", cells.get(i)));
            }
            System.out.println(sb);
        }
    }
}
