package io.tidemill.bench;

import io.tidemill.cli.Command;
import io.tidemill.cli.Options;
import io.tidemill.cli.UsageException;
import io.tidemill.connector.nexmark.NexmarkFileWriter;
import io.tidemill.examples.nexmark.NexmarkQueries;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * {@code tidemill bench}: the Nexmark harness. Generates an event file once, then runs every query on
 * it with the single-threaded baseline and with Tidemill at each parallelism, in one run, and prints
 * events/s, the ratio to the baseline (measured in the same run, so the noise of a shared machine
 * mostly cancels) and the peak heap. Generator mode (no parsing) runs q0, q5 and q7 the same way.
 */
public final class BenchCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("events", "reps", "data", "queries", "parallelism",
            "generator-events", "generator-queries", "warmups");

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
                usage: tidemill bench [--events N] [--warmups W] [--reps R] [--data DIR] [--queries q0,q5,...]
                                      [--parallelism 1,2] [--generator-events N] [--generator-queries q0,q5,q7]
                                      [--in-process]
                  --events            events in the generated input file (default 2000000; made once in DIR)
                  --warmups           unmeasured runs of every cell first, while the JIT compiles (default 3)
                  --reps              measured runs of every cell, taking turns with the query's other
                                      cells (default 5; the best is reported)
                  --data              where the input file and outputs go (default bench-data)
                  --queries           queries in file mode (default all)
                  --parallelism       Tidemill parallelisms (default 1,2)
                  --generator-events  events in generator mode (default 10000000; 0 skips it)
                  --generator-queries queries in generator mode (default q0,q5,q7)
                  --in-process        run every cell in this JVM instead of a fresh JVM per cell (the
                                      engine's shared code then carries the JIT profiles of the
                                      queries before it; the baseline's per-query code does not)
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, OPTIONS, Set.of("in-process"));
        boolean inProcess = o.has("in-process");
        long events = o.longValue("events", 2_000_000, 1);
        int reps = (int) o.longValue("reps", 5, 1);
        int warmups = (int) o.longValue("warmups", 3, 0);
        long genEvents = o.longValue("generator-events", 10_000_000, 0);
        Path data = Path.of(o.string("data", "bench-data"));
        List<String> queries = list(o.string("queries", "q0,q1,q2,q3,q4,q5,q7,q8,q11"));
        List<String> genQueries = list(o.string("generator-queries", "q0,q5,q7"));
        int[] pars = list(o.string("parallelism", "1,2")).stream().mapToInt(s -> {
            int p;
            try {
                p = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw new UsageException("option --parallelism expects numbers like 1,2; got '" + s + "'");
            }
            if (p < 1) {
                throw new UsageException("option --parallelism expects numbers of at least 1; got '" + s + "'");
            }
            return p;
        }).toArray();
        for (String q : concat(queries, genQueries)) {
            if (!NexmarkQueries.names().contains(q)) {
                throw new UsageException("unknown query '" + q + "'; known: " + String.join(", ", NexmarkQueries.names()));
            }
        }
        int[] engines = IntStream.concat(IntStream.of(Measurement.BASELINE), Arrays.stream(pars)).toArray();
        Files.createDirectories(data);
        Path input = data.resolve("nexmark-" + events + ".jsonl");
        if (!Files.exists(input)) {
            System.err.printf("generating %,d events into %s ...%n", events, input);
            NexmarkFileWriter.generate(events, 3000, 42, input);
        }
        System.out.printf("Nexmark on %s (%,d events, %d MB), %d warm-up + best of %d, %d cores, %s%n",
                input, events, Files.size(input) >> 20, warmups, reps, Runtime.getRuntime().availableProcessors(),
                inProcess ? "every cell in this JVM" : "every cell in a fresh JVM");
        List<String> header = new ArrayList<>(List.of("query", "baseline ev/s"));
        for (int p : pars) {
            header.add("p" + p + " ev/s");
            header.add("p" + p + "/base");
        }
        header.add("peak heap MB (base/" + String.join("/", Arrays.stream(pars).mapToObj(p -> "p" + p).toList()) + ")");
        Table file = new Table(header);
        for (String q : queries) {
            Path out = data.resolve("out-" + q + ".jsonl");
            List<Measurement> cells = new ArrayList<>();
            for (int engine : engines) {
                cells.add(Measurement.file(q, engine, input, out));
            }
            file.add(q, measure(cells, warmups, reps, inProcess));
        }
        System.out.println();
        System.out.println("file mode (parse JSON, run the query, write JSON lines):");
        file.print();
        if (genEvents > 0) {
            Table gen = new Table(header);
            for (String q : genQueries) {
                List<Measurement> cells = new ArrayList<>();
                for (int engine : engines) {
                    cells.add(Measurement.generator(q, engine, genEvents));
                }
                gen.add(q, measure(cells, warmups, reps, inProcess));
            }
            System.out.println();
            System.out.printf("generator mode (%,d events, no parsing, rows counted not written):%n", genEvents);
            gen.print();
        }
        return 0;
    }

    /**
     * Warms every cell up, then measures them in turn, {@code reps} rounds: the best rate and the
     * highest peak heap of each. Alternating the cells run by run spreads drift in the machine's speed
     * over all of them.
     */
    private static List<Measurement.Result> measure(List<Measurement> cells, int warmups, int reps, boolean inProcess)
            throws Exception {
        List<Measurement.Runner> runners = new ArrayList<>();
        try {
            for (Measurement m : cells) {
                runners.add(inProcess ? m.here() : m.fork());
            }
            for (Measurement.Runner r : runners) {
                for (int i = 0; i < warmups; i++) {
                    r.warmUp();
                }
            }
            double[] best = new double[cells.size()];
            long[] peak = new long[cells.size()];
            for (int rep = 0; rep < reps; rep++) {
                for (int c = 0; c < runners.size(); c++) {
                    Measurement.Result r = runners.get(c).measure();
                    best[c] = Math.max(best[c], r.eventsPerSecond());
                    peak[c] = Math.max(peak[c], r.peakHeapBytes());
                }
            }
            List<Measurement.Result> results = new ArrayList<>();
            for (int c = 0; c < cells.size(); c++) {
                results.add(new Measurement.Result(best[c], peak[c]));
            }
            return results;
        } finally {
            for (Measurement.Runner r : runners) {
                r.close();
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** A plain-text table. */
    private static final class Table {
        private final List<String> header;
        private final List<List<String>> rows = new ArrayList<>();

        Table(List<String> header) {
            this.header = header;
        }

        /** {@code cells}: the baseline first, then Tidemill at each parallelism. */
        void add(String query, List<Measurement.Result> cells) {
            Measurement.Result base = cells.get(0);
            List<String> row = new ArrayList<>();
            row.add(query);
            row.add(String.format("%,.0f", base.eventsPerSecond()));
            StringBuilder heap = new StringBuilder(String.valueOf(base.peakHeapBytes() >> 20));
            for (Measurement.Result m : cells.subList(1, cells.size())) {
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
