package io.tidemill.examples.cli;

import io.tidemill.api.JobResult;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.cli.Command;
import io.tidemill.cli.LockFile;
import io.tidemill.cli.Options;
import io.tidemill.cli.Progress;
import io.tidemill.cli.StopOnSignal;
import io.tidemill.cli.UsageException;
import io.tidemill.cluster.rest.RestApi;
import io.tidemill.connector.file.DeadLetters;
import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.CheckpointCoordinator;
import io.tidemill.checkpoint.LoadedCheckpoint;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.connector.file.JsonLinesFileSink;
import io.tidemill.connector.kafka.KafkaSink;
import io.tidemill.connector.kafka.KafkaUri;
import io.tidemill.connector.kafka.NexmarkKafka;
import io.tidemill.connector.nexmark.NexmarkFileWriter;
import io.tidemill.examples.nexmark.NexmarkQueries;
import io.tidemill.local.JobFailedException;
import io.tidemill.local.JobHandle;
import io.tidemill.metrics.JobMetrics;
import io.tidemill.metrics.PeakBackpressure;
import io.tidemill.metrics.PrometheusMetrics;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalClusterService;
import io.tidemill.local.RestartStrategy;
import io.tidemill.local.LocalCluster;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code tidemill nexmark}: runs a Nexmark query on a file or the generator on an embedded cluster,
 * or generates an event file.
 */
public final class NexmarkCommand implements Command {
    private static final Set<String> RUN_OPTIONS = Set.of("query", "input", "output", "parallelism", "events",
            "rate", "seed", "threads", "show", "checkpoint-interval", "state-dir", "restore-from", "checkpoint-mode",
            "metrics", "http-port", "tolerable-checkpoint-failures");
    /** The names {@link ExactlyOnceFileSink} commits its part files under: part-SUBTASK-(CHECKPOINT|final).jsonl. */
    private static final java.util.regex.Pattern COMMITTED_PART =
            java.util.regex.Pattern.compile("part-\\d+-(\\d+|final)\\.jsonl");
    private static final Set<String> GENERATE_OPTIONS = Set.of("events", "disorder", "seed", "output", "partitions");

    @Override
    public String name() {
        return "nexmark";
    }

    @Override
    public String summary() {
        return "run a Nexmark query on a file or the generator; generate event files";
    }

    @Override
    public String usage() {
        return """
                usage:
                  tidemill nexmark --query Q --input FILE --output FILE [--parallelism N]
                  tidemill nexmark --query Q --generator --events N [--rate R] [--parallelism N] [--output FILE]
                  tidemill nexmark generate --events N [--disorder MS] [--seed S] --output FILE
                  tidemill nexmark generate --events N --output kafka://HOST:PORT/TOPIC [--partitions P]
                  tidemill nexmark --query Q --input kafka://HOST:PORT/TOPIC --output kafka://HOST:PORT/OUT
                  tidemill nexmark --query Q --input FILE --output DIR --state-dir DIR --checkpoint-interval 1s

                  --query        one of q0 q1 q2 q3 q4 q5 q7 q8 q11
                  --input        a JSON-lines file of events, or a directory of them, or a Kafka topic
                                 kafka://host:port/topic (read up to its end when the run first starts)
                  --output       where result rows go, as JSON lines (malformed input lines go to
                                 OUTPUT.dead-letter.jsonl); without it in generator mode, the top --show
                                 rows are printed as JSON lines (see --show); or a Kafka topic kafka://host:port/topic (exactly once with
                                 --state-dir, through Kafka transactions; dead letters then go to the
                                 topic TOPIC.dead-letter)
                  --partitions   partitions of a Kafka topic that generate creates (default 4)
                  --generator    generate events instead of reading a file
                  --events       number of events to generate
                  --rate         events per second (0: as fast as possible, the default)
                  --seed         generator seed (default 42)
                  --parallelism  parallelism of every operator (default: number of cores)
                  --threads      worker threads of the embedded cluster (default: number of cores)
                  --show         result rows to print at the end in generator mode (default 10): the
                                 top rows by the query's ranking where it has one (q5: most bids, q7:
                                 highest price, q11: most bids in a session; ties in row order), else
                                 the first rows in arrival order
                  --disorder     maximum event-time disorder of a generated file in ms (default 0; < 5000)
                  --state-dir    checkpoint into this directory and write --output (a directory) exactly once,
                                 as committed part files (in-progress files are hidden, named .part-*),
                                 and dead letters the same way into OUTPUT.dead-letter/;
                                 run the same command again after a crash and it resumes from the latest
                                 completed checkpoint in it; if it holds checkpoints and none can be
                                 restored (corrupt), the run fails and names each, leaving the output alone
                  --discard-state  with --state-dir: start from scratch, ignoring the checkpoints in it;
                                 the output directory is written anew
                  --checkpoint-interval  time between checkpoints, e.g. 1s (default 1s with --state-dir)
                  --checkpoint-mode      exactly-once (default), at-least-once or unaligned
                  --tolerable-checkpoint-failures  checkpoints that may fail in a row (not written, e.g. on
                                 a full disk, or timed out) before the run fails with the cause (default 3)
                  --restore-from a checkpoint or savepoint directory (e.g. DIR/chk-7) to start from
                  --metrics      write the job's metrics in Prometheus text format to this file at the end
                  --http-port    serve a web dashboard at http://HOST:PORT/, the REST API's job
                                 endpoints and the metrics at /metrics while the job runs (Prometheus
                                 text format; off by default; 0: any free port, printed)
                """;
    }

    /** {@code nexmark generate --help} gives the generate help, anything else the whole usage. */
    @Override
    public String usage(List<String> args) {
        return !args.isEmpty() && args.get(0).equals("generate") ? generateUsage() : usage();
    }

    private static String generateUsage() {
        return """
                usage:
                  tidemill nexmark generate --events N [--disorder MS] [--seed S] --output FILE
                  tidemill nexmark generate --events N --output kafka://HOST:PORT/TOPIC [--partitions P]

                  --events       number of events to generate
                  --output       the JSON-lines file to write, or a Kafka topic kafka://host:port/topic
                  --disorder     maximum event-time disorder in ms (default 0; < 5000)
                  --seed         generator seed (default 42)
                  --partitions   partitions of a Kafka topic that generate creates (default 4)
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        if (!args.isEmpty() && args.get(0).equals("generate")) {
            return generate(Options.parse(args.subList(1, args.size()), GENERATE_OPTIONS, Set.of()));
        }
        return runQuery(Options.parse(args, RUN_OPTIONS, Set.of("generator", "discard-state")));
    }

    private int generate(Options o) throws Exception {
        long events = o.longValue("events", -1, 0);
        if (events < 0) {
            throw new UsageException("missing option --events");
        }
        long disorder = o.longValue("disorder", 0, 0);
        if (disorder >= 5000) {
            throw new UsageException("option --disorder must be below 5000 ms (Nexmark files are out of order by "
                    + "less than 5000 ms), got " + disorder);
        }
        long seed = o.longValue("seed", 42, Long.MIN_VALUE);
        if (KafkaUri.isKafka(o.required("output"))) {
            KafkaUri topic = KafkaUri.parse(o.required("output"));
            long start = System.nanoTime();
            long written = NexmarkKafka.generate(events, disorder, seed, topic,
                    (int) o.longValue("partitions", 4, 1));
            System.err.printf("generated %,d events into %s in %.1f s%n", written, topic,
                    (System.nanoTime() - start) / 1e9);
            return 0;
        }
        Path out = Path.of(o.required("output"));
        long start = System.nanoTime();
        long written = NexmarkFileWriter.generate(events, disorder, seed, out);
        double secs = (System.nanoTime() - start) / 1e9;
        System.err.printf("generated %,d events into %s in %.1f s%n", written, out, secs);
        return 0;
    }

    /**
     * Runs a query holding the locks of its state directory and output, so that a second run on
     * either refuses to start instead of interleaving its writes with this one's.
     */
    private int runQuery(Options o) throws Exception {
        if (o.has("input") && !KafkaUri.isKafka(o.string("input", null))
                && !Files.exists(Path.of(o.string("input", null)))) {
            throw new NoSuchFileException(o.string("input", null)); // before a lock file is made beside the output
        }
        try (LockFile state = o.has("state-dir") ? LockFile.acquire(Path.of(o.string("state-dir", null))
                .resolve(".lock"), "state directory " + o.string("state-dir", null)) : null;
             LockFile output = o.has("output") && !KafkaUri.isKafka(o.string("output", null)) ? LockFile.acquire(LockFile.beside(Path.of(o.string("output", null))),
                     "output " + o.string("output", null)) : null) {
            return runLocked(o);
        }
    }

    private int runLocked(Options o) throws Exception {
        String query = o.required("query").toLowerCase();
        if (!contains(NexmarkQueries.names(), query)) {
            throw new UsageException("unknown query '" + query + "'; known: " + String.join(", ",
                    NexmarkQueries.names()));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        int parallelism = (int) o.longValue("parallelism", cores, 1);
        int threads = (int) o.longValue("threads", cores, 1);
        DeadLetters deadLetters = null;
        KafkaUri kafkaOut = KafkaUri.isKafka(o.string("output", null)) ? KafkaUri.parse(o.string("output", null)) : null;
        Path output = o.has("output") && kafkaOut == null ? Path.of(o.string("output", null)) : null;
        int show = (int) o.longValue("show", 10, 0);
        JobOptions jobOptions = jobOptions(o);
        boolean exactlyOnce = jobOptions.store() != null;
        if (exactlyOnce && output == null && kafkaOut == null) {
            throw new UsageException("--state-dir needs --output (a directory for the committed part files)");
        }
        TopRows.Ranking ranking = output == null && kafkaOut == null ? TopRows.rankingOf(query) : null;
        RowCounter<Object> counter = new RowCounter<>(output == null ? null : JsonLinesFileSink.toFile(output),
                output == null && kafkaOut == null ? new TopRows(show, ranking) : null);
        Sink<Object> sink = exactlyOnce ? new ExactlyOnceFileSink<>(output) : counter;
        Sink<io.tidemill.api.source.DeadLetter> kafkaDeadLetters = null;
        if (kafkaOut != null) {
            // The transactional ids name the query and the topic: stable across reruns of this command.
            String prefix = "tidemill-nexmark-" + query + "-" + kafkaOut.topic();
            Sink<Object> kafka = kafkaSink(kafkaOut, exactlyOnce, prefix);
            // Exactly once, the writer's transactions must reach the sink operator unwrapped; rows are not counted then.
            counter = new RowCounter<>(kafka, null);
            sink = exactlyOnce ? kafka : counter;
            kafkaDeadLetters = kafkaSink(new KafkaUri(kafkaOut.bootstrapServers(), kafkaOut.topic() + ".dead-letter"),
                    exactlyOnce, prefix + "-dead-letter");
        }
        long rate = o.longValue("rate", 0, 0);
        Pipeline pipeline;
        if (o.has("generator")) {
            if (o.has("input")) {
                throw new UsageException("give either --input or --generator, not both");
            }
            long n = o.longValue("events", -1, 1);
            if (n < 0) {
                throw new UsageException("missing option --events (generator mode)");
            }
            long seed = o.longValue("seed", 42, Long.MIN_VALUE);
            pipeline = NexmarkJob.overGenerator(query, n, rate, seed, sink, parallelism);
        } else if (KafkaUri.isKafka(o.required("input"))) {
            if (output == null && kafkaOut == null) {
                throw new UsageException("missing option --output");
            }
            deadLetters = kafkaDeadLetters != null ? DeadLetters.counting(kafkaDeadLetters)
                    : exactlyOnce ? DeadLetters.exactlyOnceBeside(output) : DeadLetters.beside(output);
            pipeline = NexmarkJob.over(query, NexmarkKafka.source(KafkaUri.parse(o.required("input")), deadLetters),
                    "nexmark-kafka", sink, parallelism, rate);
        } else {
            Path input = Path.of(o.required("input"));
            if (kafkaOut != null) {
                deadLetters = DeadLetters.counting(kafkaDeadLetters);
                pipeline = NexmarkJob.overFile(query, input, deadLetters, sink, parallelism, rate);
            } else {
                if (output == null) {
                    throw new UsageException("missing option --output");
                }
                // Checkpointed, dead letters are committed with the output's checkpoints, as its parts are.
                deadLetters = exactlyOnce ? DeadLetters.exactlyOnceBeside(output) : DeadLetters.beside(output);
                pipeline = NexmarkJob.overFile(query, input, deadLetters, sink, parallelism, rate);
            }
        }

        JobResult result;
        PeakBackpressure.Peak backpressure;
        List<CheckpointCoordinator.Completed> completedCheckpoints;
        int httpPort = (int) o.longValue("http-port", -1, 0);
        if (httpPort > 65535) {
            throw new UsageException("option --http-port must be a port number (0 to 65535), got " + httpPort);
        }
        try (PrometheusMetrics metrics = PrometheusMetrics.create()) {
            LocalClusterService service = new LocalClusterService("embedded " + name(), metrics.registry()::scrape);
            try (RestApi server = httpPort < 0 ? null : serve(httpPort, service);
                 LocalCluster cluster = LocalCluster.start(threads)) {
                JobHandle job = cluster.submit(pipeline, jobOptions);
                service.add(job, jobOptions);
                DeadLetters dead = deadLetters;
                // The job's meters go when it ended, after the --metrics file has them.
                JobMetrics jobMetrics = JobMetrics.bind(job, metrics.registry(), dead == null ? null : dead::count);
                Progress progress = new Progress(job, System.err, 2000);
                try (progress;
                     StopOnSignal stop = StopOnSignal.install(job, System.err, "tidemill " + name(),
                             () -> whatWasLeft(jobOptions, output))) {
                    try {
                        result = job.join();
                    } catch (RuntimeException e) {
                        if (stop.stopped()) {
                            return 130; // the signal's hook says what was left
                        }
                        if (e instanceof CancellationException) { // through the REST API or the dashboard
                            System.err.println("tidemill " + name() + ": the job was cancelled; "
                                    + whatWasLeft(jobOptions, output));
                            return 1;
                        }
                        throw e;
                    }
                } finally {
                    try {
                        if (o.has("metrics")) {
                            Files.writeString(Path.of(o.string("metrics", null)), metrics.registry().scrape());
                        }
                    } finally {
                        jobMetrics.close();
                    }
                }
                backpressure = progress.peakBackpressure(); // closed: the run's last interval is in
                completedCheckpoints = job.completedCheckpoints();
            }
        } catch (JobFailedException e) {
            if (exactlyOnce || output == null) {
                throw e;
            }
            System.err.println("tidemill " + name() + ": " + e.getMessage() + "; " + whatWasLeft(jobOptions, output));
            return 1;
        } finally {
            if (jobOptions.store() != null) {
                jobOptions.store().close();
            }
        }
        if (exactlyOnce && output != null) {
            counter.count.reset();
            counter.count.add(countCommittedRows(output));
        }
        double secs = result.duration().toNanos() / 1e9;
        if (output == null && kafkaOut == null) {
            // The rows alone on stdout, as the file sink writes them (jq-able); what they are on stderr.
            List<String> top = counter.shown();
            System.err.printf("%s %d of %,d rows%s:%n", ranking == null ? "first" : "top", top.size(),
                    counter.count.sum(), ranking == null ? " (in arrival order)" : " (" + ranking.describe() + ")");
            top.forEach(System.out::println);
        }
        String checkpoints = !jobOptions.checkpoints().enabled() ? "" : String.format(
                "  checkpoints %d completed, %d failed", result.checkpointsCompleted(), result.checkpointsFailed());
        String rows = kafkaOut != null && exactlyOnce ? "in " + kafkaOut.topic() : String.format("%,d",
                counter.count.sum());
        System.err.printf("done: %s  events %,d  seconds %.2f  events/s %,.0f  rows %s  dead letters %,d  "
                        + "late %,d%s%s%n", query, result.recordsIn(), secs, result.recordsIn() / Math.max(secs, 1e-9),
                rows, deadLetters == null ? 0 : deadLetters.count(), result.lateRecordsDropped(),
                checkpoints, output == null ? (kafkaOut == null ? "" : "  output " + kafkaOut) : "  output " + output);
        if (jobOptions.checkpoints().enabled()) {
            System.err.println("  " + describeCheckpoints(completedCheckpoints));
        }
        System.err.println("  " + describeBackpressure(backpressure));
        return 0;
    }

    /**
     * The summary's checkpoint figures beside the counts of its first line: the average and longest
     * duration of the completed checkpoints and the last one's size.
     */
    static String describeCheckpoints(List<CheckpointCoordinator.Completed> completed) {
        if (completed.isEmpty()) {
            return "checkpoints: none completed";
        }
        long total = 0;
        long max = 0;
        for (CheckpointCoordinator.Completed c : completed) {
            total += c.durationMillis();
            max = Math.max(max, c.durationMillis());
        }
        return String.format("checkpoints: duration avg %,d ms, max %,d ms; last size %,d bytes",
                Math.round((double) total / completed.size()), max, completed.get(completed.size() - 1).bytes());
    }

    /** The summary's backpressure figure: the highest share of a sampling interval any subtask could not emit. */
    static String describeBackpressure(PeakBackpressure.Peak peak) {
        if (peak == null || peak.share() == 0) {
            return "backpressure: none (no subtask was ever blocked on a full output)";
        }
        return String.format("backpressure: peak %.1f%% of %.1f s at %s subtask %d", peak.share() * 100,
                peak.intervalSeconds(), peak.vertex(), peak.subtask());
    }

    /**
     * The embedded run's REST API (its job, no submissions), web dashboard and /metrics on every
     * interface, as a node's REST API listens.
     */
    private RestApi serve(int port, LocalClusterService service) {
        RestApi server = RestApi.standalone("0.0.0.0", port, service, null);
        service.httpPort(server.port());
        System.err.println("tidemill " + name() + ": dashboard at http://localhost:" + server.port()
                + "/, metrics at http://localhost:" + server.port() + "/metrics");
        return server;
    }

    private static <T> Sink<T> kafkaSink(KafkaUri topic, boolean exactlyOnce, String transactionalIdPrefix) {
        KafkaSink.Builder<T> b = KafkaSink.builder(topic.bootstrapServers(), topic.topic());
        return exactlyOnce ? b.exactlyOnce(transactionalIdPrefix).build() : b.build();
    }

    /** What a run that did not finish leaves behind, for the line saying so. */
    private static String whatWasLeft(JobOptions options, Path output) {
        if (options.store() != null) {
            try {
                List<Long> ids = LoadedCheckpoint.completedIds(options.store());
                return ids.isEmpty() ? "no checkpoint had completed: rerun the same command to start over"
                        : "rerun the same command to resume from checkpoint " + ids.get(ids.size() - 1);
            } catch (java.io.IOException e) {
                return "the checkpoints in " + options.store().describe() + " cannot be listed: " + e.getMessage();
            }
        }
        return output == null ? "no result rows were printed" : "no output was produced (" + output + " not written)";
    }

    /** Checkpointing, restore and restart settings from the command line. */
    private static JobOptions jobOptions(Options o) throws java.io.IOException {
        if (!o.has("state-dir")) {
            if (o.has("checkpoint-interval") || o.has("checkpoint-mode") || o.has("discard-state")
                    || o.has("tolerable-checkpoint-failures")) {
                throw new UsageException("--checkpoint-interval, --checkpoint-mode, --tolerable-checkpoint-failures "
                        + "and --discard-state need --state-dir");
            }
            return o.has("restore-from") ? JobOptions.DEFAULT.withRestoreFrom(snapshotAt(o)) : JobOptions.DEFAULT;
        }
        java.time.Duration interval = o.duration("checkpoint-interval");
        CheckpointConfig.Mode mode = switch (o.string("checkpoint-mode", "exactly-once")) {
            case "exactly-once" -> CheckpointConfig.Mode.EXACTLY_ONCE;
            case "at-least-once" -> CheckpointConfig.Mode.AT_LEAST_ONCE;
            case "unaligned" -> CheckpointConfig.Mode.UNALIGNED;
            default -> throw new UsageException("option --checkpoint-mode must be exactly-once, at-least-once or "
                    + "unaligned, got '" + o.string("checkpoint-mode", "") + "'");
        };
        int tolerable = (int) Math.min(Integer.MAX_VALUE, o.longValue("tolerable-checkpoint-failures",
                CheckpointConfig.DEFAULT_TOLERABLE_FAILURES, 0));
        CheckpointConfig config = CheckpointConfig.every(interval == null ? java.time.Duration.ofSeconds(1) : interval)
                .withMode(mode).withTolerableFailures(tolerable);
        FileSnapshotStore store = new FileSnapshotStore(Path.of(o.required("state-dir")));
        JobOptions options = JobOptions.checkpointed(config, store)
                .withRestart(RestartStrategy.exponentialBackoff(3, java.time.Duration.ofMillis(200),
                        java.time.Duration.ofSeconds(5)));
        if (o.has("discard-state")) {
            if (o.has("restore-from")) {
                throw new UsageException("give either --restore-from or --discard-state, not both");
            }
            return options.withRestoreLatest(false);
        }
        if (o.has("restore-from")) {
            return options.withRestoreFrom(snapshotAt(o));
        }
        Path output = o.has("output") ? Path.of(o.string("output", null)) : null;
        if (output != null && LoadedCheckpoint.completedIds(store).isEmpty() && hasCommittedParts(output)) {
            // A fresh start would delete these parts: an empty state directory may be a volume not mounted.
            throw new UsageException(output + " holds committed output but " + store.root() + " has no completed "
                    + "checkpoint (is it mounted?); to write the output anew, add --discard-state");
        }
        return options;
    }

    /** True if {@code dir} holds files an exactly-once run committed ({@code part-*}). */
    private static boolean hasCommittedParts(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith("part-"));
        }
    }

    private static JobOptions.SnapshotSource snapshotAt(Options o) throws java.io.IOException {
        Path p = Path.of(o.required("restore-from")).toAbsolutePath().normalize();
        if (!Files.isRegularFile(p.resolve("_metadata"))) {
            throw new NoSuchFileException(p + "/_metadata");
        }
        return new JobOptions.SnapshotSource(new FileSnapshotStore(p.getParent()), p.getFileName().toString());
    }

    /** The rows in the part files the job committed to {@code dir}; other files there are not its output. */
    private static long countCommittedRows(Path dir) throws java.io.IOException {
        long n = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(f -> COMMITTED_PART.matcher(f.getFileName().toString()).matches()).toList()) {
                try (java.util.stream.Stream<String> lines = Files.lines(f)) {
                    n += lines.count();
                }
            }
        }
        return n;
    }

    private static boolean contains(Iterable<String> names, String q) {
        for (String n : names) {
            if (n.equals(q)) {
                return true;
            }
        }
        return false;
    }

    /** Counts rows, keeps the ones to show (if any), and passes them to an optional file sink. */
    private static final class RowCounter<T> implements Sink<T> {
        /** Rows written; subtasks add to it without contending for one counter. */
        final LongAdder count = new LongAdder();
        private final Sink<T> inner;
        private final TopRows shown;

        RowCounter(Sink<T> inner, TopRows shown) {
            this.inner = inner;
            this.shown = shown;
        }

        /** The rows to show, as JSON lines, best first. */
        List<String> shown() {
            return shown == null ? List.of() : shown.rows();
        }

        @Override
        public boolean isBlocking() {
            return inner != null && inner.isBlocking();
        }

        @Override
        public SinkWriter<T> createWriter(int subtask, int parallelism) throws Exception {
            SinkWriter<T> w = inner == null ? null : inner.createWriter(subtask, parallelism);
            TopRows.Keeper keeper = shown == null ? null : shown.keeper();
            return new SinkWriter<>() {
                @Override
                public void write(T value, long timestamp) throws Exception {
                    count.increment();
                    if (keeper != null) {
                        keeper.offer(value);
                    }
                    if (w != null) {
                        w.write(value, timestamp);
                    }
                }

                @Override
                public void finish() throws Exception {
                    if (keeper != null) {
                        keeper.flush();
                    }
                    if (w != null) {
                        w.finish();
                    }
                }

                @Override
                public void close() throws Exception {
                    if (w != null) {
                        w.close();
                    }
                }
            };
        }
    }
}
