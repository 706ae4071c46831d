package io.tidemill.exchange;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.KeyedStream;
import io.tidemill.api.WindowedStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A window firing far more records than the task's output can hold does not buffer them: it stops
 * while the output is full and goes on when it has room. Two million keys fire at once, at
 * parallelism 2, into a slow sink, in a JVM with a 256 MB heap: the job completes with every row. The
 * same for the general window operator and for keyed timers, with fewer keys and larger rows.
 */
@Timeout(300)
class BoundedOutputTest {
    static final long KEYS = 2_000_000;

    @TempDir
    Path dir;

    @Test
    void aWindowFiringTwoMillionKeysIntoASlowSinkFitsIn256Megabytes() throws Exception {
        runChild("aligned", 2_000_000, 40);
    }

    @Test
    void theGeneralWindowOperatorPausesItsFiringToo() throws Exception {
        // with allowed lateness, windows run on the general operator (trigger and cleanup timers)
        runChild("general", 300_000, 1000);
    }

    @Test
    void processingTimeWindowsFiringAtTheEndOfInputPauseToo() throws Exception {
        runChild("processing-time", 300_000, 1000);
    }

    @Test
    void keyedProcessTimersPauseOnAFullOutput() throws Exception {
        runChild("timers", 300_000, 1000);
    }

    private void runChild(String mode, long keys, int padding) throws Exception {
        Path log = dir.resolve(mode + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Child.class.getName(), mode,
                String.valueOf(keys), String.valueOf(padding)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the job did not end: " + tail(log));
            assertEquals(0, p.exitValue(), tail(log));
            assertTrue(Files.readString(log).contains("rows=" + keys + " counted=" + keys), tail(log));
        } finally {
            p.destroyForcibly();
        }
    }

    private static String tail(Path log) throws Exception {
        String s = Files.readString(log);
        return s.length() > 4000 ? s.substring(s.length() - 4000) : s;
    }

    /** The job, in a child JVM with a small heap: {@code mode keys padding}. */
    public static final class Child {
        public static void main(String[] args) {
            String mode = args[0];
            long keys = Long.parseLong(args[1]);
            String padding = ".".repeat(Integer.parseInt(args[2]));
            Pipeline p = Pipeline.create().setName("bounded-output").setParallelism(2);
            KeyedStream<Long, Long> keyed = p.fromSource(GeneratorSource.bounded(keys, i -> i),
                            WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ZERO)
                                    .withTimestampAssigner((v, ts) -> v % 1000), "keys")
                    .keyBy(v -> v);
            DataStream<String> rows;
            if (mode.equals("timers")) {
                // every key's timer is due at the end of the input, all at once
                rows = keyed.process(new KeyedProcessFunction<Long, Long, String>() {
                    @Override
                    public void processElement(Long value, Context<Long> ctx, Collector<String> out) {
                        ctx.timerService().registerEventTimeTimer(5000);
                    }

                    @Override
                    public void onTimer(long time, OnTimerContext<Long> ctx, Collector<String> out) {
                        out.collect("key " + ctx.currentKey() + " has count 1 " + padding);
                    }
                });
            } else {
                // processing-time windows of an hour all fire at the end of the input
                WindowedStream<Long, Long> windows = keyed.window(mode.equals("processing-time")
                        ? TumblingWindows.processingTime(Duration.ofHours(1)) : TumblingWindows.eventTime(Duration.ofSeconds(1)));
                if (mode.equals("general")) {
                    windows.allowedLateness(Duration.ofMillis(1));
                }
                rows = windows.aggregate(Aggregates.count(), new ProcessWindowFunction<Long, String, Long>() {
                    @Override
                    public void process(Long key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                        // rows that, all together, do not fit in the heap
                        out.collect("key " + key + " in window [" + ctx.window().start() + ", "
                                + ctx.window().end() + ") has count " + counts.iterator().next() + " " + padding);
                    }
                });
            }
            rows.rebalance() // a channel between the firing operator and the sink, not a chained call
                    .sinkTo(new SlowSink(), "slow-sink");
            try (LocalCluster cluster = LocalCluster.start(2)) {
                cluster.execute(p);
            }
            System.out.println("rows=" + SlowSink.ROWS.get() + " counted=" + SlowSink.COUNTED.get());
        }
    }

    /** Takes a rest every 20 000 rows, so the windows' output backs up behind it. */
    static final class SlowSink implements Sink<String> {
        static final AtomicLong ROWS = new AtomicLong();
        static final AtomicLong COUNTED = new AtomicLong();

        @Override
        public boolean isBlocking() {
            return true;
        }

        @Override
        public SinkWriter<String> createWriter(int subtask, int parallelism) {
            return (value, timestamp) -> {
                if (ROWS.incrementAndGet() % 20_000 == 0) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
                }
                COUNTED.addAndGet(Long.parseLong(value.substring(value.indexOf("count ") + 6, value.indexOf(' ', value.indexOf("count ") + 6))));
            };
        }
    }
}
