package io.tidemill.bench;

import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.source.Source;
import io.tidemill.api.source.SourceSplit;
import io.tidemill.api.source.SplitReader;
import io.tidemill.cli.Command;
import io.tidemill.cli.Options;
import io.tidemill.connector.nexmark.GeneratorConfig;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.NexmarkSources;
import io.tidemill.examples.nexmark.NexmarkQueries;
import io.tidemill.local.LocalCluster;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tidemill bench-latency}: end-to-end event-time latency of the windowed Nexmark queries at a
 * fixed rate, as NEXMARK.md defines it: the time a result row reaches the sink minus the time the
 * watermark passed its window's end.
 *
 * <p>The generator emits {@code rate} events per second of wall-clock time, and event time runs
 * {@code speedup} times faster than the wall clock (so 10 s windows close every second at speedup
 * 10). Event {@code i} is emitted at {@code start + i / rate}; the watermark passes {@code end - 1}
 * with the first event whose timestamp is at least {@code end + 5000} (bounded out-of-orderness of
 * 5 s), whose index follows from the generator's spacing. That moment is the reference.
 */
public final class LatencyBenchCommand implements Command {
    private static final Set<String> OPTIONS = Set.of("rate", "speedup", "seconds", "parallelism", "queries");

    @Override
    public String name() {
        return "bench-latency";
    }

    @Override
    public String summary() {
        return "p50/p99 event-time latency of q5, q7, q8, q11 at a fixed rate";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill bench-latency [--rate R] [--speedup S] [--seconds T] [--parallelism P]
                                              [--queries q5,q7,q8,q11]
                  --rate         events per second of wall-clock time (default 100000)
                  --speedup      event time runs this many times faster than the wall clock (default 10)
                  --seconds      wall-clock length of each run (default 20)
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, OPTIONS, Set.of());
        long rate = o.longValue("rate", 100_000, 1);
        long speedup = o.longValue("speedup", 10, 1);
        long seconds = o.longValue("seconds", 20, 1);
        int parallelism = (int) o.longValue("parallelism", 2, 1);
        List<String> queries = Arrays.stream(o.string("queries", "q5,q7,q8,q11").split(",")).map(String::trim)
                .toList();
        long eventTimeRate = Math.max(1, rate / speedup);
        GeneratorConfig config = new GeneratorConfig(42, GeneratorConfig.DEFAULT_FIRST_EVENT_TIME, eventTimeRate);
        long events = rate * seconds;
        System.out.printf("event-time latency: %,d events/s, event time x%d, %d s per run, parallelism %d%n", rate,
                speedup, seconds, parallelism);
        System.out.printf("%-5s %8s %10s %10s %10s%n", "query", "rows", "p50 ms", "p99 ms", "max ms");
        for (String q : queries) {
            ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
            Sink<Object> sink = (subtask, par) -> new SinkWriter<>() {
                @Override
                public void write(Object row, long timestamp) {
                    samples.add(new long[] {System.nanoTime(), windowEnd(row)});
                }
            };
            Pipeline p = Pipeline.create().setName("latency-" + q).setParallelism(parallelism);
            ClockedSource<NexmarkEvent> source = new ClockedSource<>(NexmarkSources.generator(config, events, rate));
            DataStream<NexmarkEvent> in = p.fromSource(source, NexmarkQueries.watermarkStrategy(), "nexmark-generator");
            @SuppressWarnings("unchecked")
            DataStream<Object> rows = (DataStream<Object>) NexmarkQueries.build(q, in);
            rows.sinkTo(sink, "latency-sink").setParallelism(1);
            try (LocalCluster cluster = LocalCluster.start(parallelism)) {
                cluster.execute(p);
            }
            // The generator paces itself from the moment its readers are created, which comes after
            // the job's set-up (longer in the first job of a JVM, while classes load): that is time 0.
            long start = source.firstReaderNanos.get();
            List<Long> latencies = new ArrayList<>();
            for (long[] s : samples) {
                long end = s[1];
                long firstIndex = ceilDiv((end + 5000 - config.firstEventTime()) * eventTimeRate, 1000);
                if (firstIndex >= events) {
                    continue; // fired by the end of input, not by the watermark
                }
                long passedNanos = start + firstIndex * 1_000_000_000L / rate;
                latencies.add(Math.max(0, s[0] - passedNanos) / 1_000_000);
            }
            long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
            System.out.printf("%-5s %8d %10s %10s %10s%n", q, sorted.length, Percentiles.of(sorted, 50),
                    Percentiles.of(sorted, 99), sorted.length == 0 ? "-" : sorted[sorted.length - 1]);
        }
        return 0;
    }

    /** A source that records when its first reader was created, the origin of the generator's pacing. */
    static final class ClockedSource<T> implements Source<T> {
        private final Source<T> source;
        final AtomicLong firstReaderNanos = new AtomicLong();

        ClockedSource(Source<T> source) {
            this.source = source;
        }

        @Override
        public boolean isBounded() {
            return source.isBounded();
        }

        @Override
        public List<? extends SourceSplit> createSplits(int parallelism) throws Exception {
            return source.createSplits(parallelism);
        }

        @Override
        public void verifyRestored(SourceSplit split) throws Exception {
            source.verifyRestored(split);
        }

        @Override
        public SplitReader<T> createReader(SourceSplit split, long offset) throws Exception {
            long now = System.nanoTime();
            firstReaderNanos.compareAndSet(0, now);
            return source.createReader(split, offset);
        }
    }

    /** The end of the window a row belongs to (q8 rows carry only the start of a 10 s window). */
    static long windowEnd(Object row) {
        for (RecordComponent c : row.getClass().getRecordComponents()) {
            String n = c.getName();
            if (n.equals("windowEnd") || n.equals("sessionEnd")) {
                return (long) invoke(c, row);
            }
        }
        for (RecordComponent c : row.getClass().getRecordComponents()) {
            if (c.getName().equals("windowStart")) {
                return (long) invoke(c, row) + 10_000;
            }
        }
        throw new IllegalArgumentException("row without a window: " + row);
    }

    private static Object invoke(RecordComponent c, Object row) {
        try {
            c.getAccessor().setAccessible(true);
            return c.getAccessor().invoke(row);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
