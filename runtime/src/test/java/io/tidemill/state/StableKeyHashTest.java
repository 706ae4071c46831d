package io.tidemill.state;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.graph.InvalidPipelineException;
import io.tidemill.local.JobFailedException;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import io.tidemill.watermark.WatermarkStrategy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys hash alike in every JVM: a savepoint written by one JVM of a job keyed by an enum, and by a
 * record holding an enum, restores in another JVM with every key's state found; key types without
 * a stable hash are refused with their type named.
 */
@Timeout(120)
class StableKeyHashTest {
    enum Color { RED, GREEN, BLUE, CYAN, MAGENTA, YELLOW, BLACK }

    record Tag(Color color, int bucket) {}

    record Event(long i) {
        Color color() {
            return Color.values()[(int) (i % Color.values().length)];
        }

        Tag tag() {
            return new Tag(color(), (int) (i % 11));
        }
    }

    private static final long EVENTS = 30_000;

    @TempDir
    Path dir;

    @Test
    void aSavepointOfEnumAndRecordKeysRestoresInAnotherJvm() throws Exception {
        // given a child JVM that stops the job with a savepoint part-way
        Path state = dir.resolve("state");
        Path out = dir.resolve("out.txt");
        runChild("write", state, out);

        // when another child JVM restores it and runs to the end
        runChild("restore", state, out);

        // then every key counted all its records: its state from before the savepoint was found
        Map<String, Long> finalCounts = new TreeMap<>();
        for (String line : Files.readAllLines(out)) {
            String[] kv = line.split(" -> ");
            finalCounts.merge(kv[0], Long.parseLong(kv[1]), Math::max);
        }
        Map<String, Long> expected = new TreeMap<>();
        for (long i = 0; i < EVENTS; i++) {
            Event e = new Event(i);
            expected.merge("color " + e.color(), 1L, Long::sum);
            expected.merge("tag " + e.tag(), 1L, Long::sum);
        }
        assertEquals(expected, finalCounts);
    }

    @Test
    void anArrayKeyFailsTheJobNamingItsType() {
        Pipeline p = Pipeline.create().setParallelism(2);
        p.fromCollection(List.of(new Event(1), new Event(2)), WatermarkStrategy.<Event>noWatermarks())
                .keyBy(e -> new long[] {e.i()})
                .process(new Counting<>("array"))
                .sinkTo(new CollectSink<>());
        try (LocalCluster cluster = LocalCluster.start(2)) {
            Exception e = assertThrows(Exception.class, () -> cluster.execute(p));
            assertTrue(messages(e).contains("key type long[] cannot be used as a key"), messages(e));
        }
    }

    @Test
    void aKeyWithIdentityHashCodeIsRefusedWhenItsTypeIsGiven() {
        Pipeline p = Pipeline.create();
        p.fromCollection(List.of(new Event(1)), WatermarkStrategy.<Event>noWatermarks())
                .keyBy(e -> new Plain(), Plain.class)
                .process(new Counting<>("plain"))
                .sinkTo(new CollectSink<>(), "out");
        InvalidPipelineException e = assertThrows(InvalidPipelineException.class, () -> p.graph().validate());
        assertTrue(e.getMessage().contains(Plain.class.getTypeName()), e.getMessage());
    }

    @Test
    void stableHashesAreThoseOfTheirValues() {
        assertEquals("RED".hashCode(), KeyHash.of(Color.RED));
        assertEquals(KeyHash.of(List.of("RED", 3)), KeyHash.of(List.of(Color.RED, 3)));
        assertEquals(KeyHash.of(new Tag(Color.BLUE, 2)), KeyHash.of(new Tag(Color.BLUE, 2)));
        assertEquals(Long.hashCode(42L), KeyHash.of(42L));
        assertEquals("abc".hashCode(), KeyHash.of("abc"));
        assertThrows(UnstableKeyException.class, () -> KeyHash.of(new Plain()));
        assertThrows(UnstableKeyException.class, () -> KeyHash.of(new Tag[0]));
    }

    static final class Plain {}

    private static String messages(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c.getMessage()).append(" / ");
        }
        return s.toString();
    }

    private static void runChild(String mode, Path state, Path out) throws Exception {
        Path log = Files.createTempFile(state.getParent(), mode, ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", System.getProperty("java.class.path"), Child.class.getName(), mode,
                state.toString(), out.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(90, TimeUnit.SECONDS), mode + " did not end: " + Files.readString(log));
            assertEquals(0, p.exitValue(), mode + " failed: " + Files.readString(log));
        } finally {
            p.destroyForcibly();
        }
    }

    /** Counts each key's records in keyed state and emits "key -> count" on each record. */
    static final class Counting<K> extends KeyedProcessFunction<K, Event, String> {
        private final String what;
        private io.tidemill.state.ValueState<Long> count;

        Counting(String what) {
            this.what = what;
        }

        @Override
        public void open(RuntimeContext ctx) {
            count = ctx.state(StateDescriptor.value("count"));
        }

        @Override
        public void processElement(Event value, Context<K> ctx, Collector<String> out) {
            long n = count.value() == null ? 1 : count.value() + 1;
            count.update(n);
            out.collect(what + " " + ctx.currentKey() + " -> " + n);
        }
    }

    /** The job, run in a child JVM: {@code write} stops it with a savepoint, {@code restore} resumes it. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            boolean write = args[0].equals("write");
            FileSnapshotStore store = new FileSnapshotStore(Path.of(args[1]));
            CollectSink<String> sink = new CollectSink<>();
            Pipeline p = Pipeline.create().setName("stable-keys").setParallelism(2);
            GeneratorSource<Event> source = GeneratorSource.bounded(EVENTS, Event::new);
            DataStream<Event> events = p.fromSource(write ? source.withRate(20_000) : source,
                    WatermarkStrategy.noWatermarks(), "events").uid("events");
            DataStream<String> byColor = events.keyBy(Event::color).process(new Counting<>("color")).uid("by-color");
            DataStream<String> byTag = events.keyBy(Event::tag).process(new Counting<>("tag")).uid("by-tag");
            byColor.union(byTag).sinkTo(sink, "out");
            JobOptions options = new JobOptions(CheckpointConfig.DISABLED, store, RestartStrategy.NONE, false, null);
            try (LocalCluster cluster = LocalCluster.start(2)) {
                if (write) {
                    JobHandle job = cluster.submit(p, options);
                    await().atMost(Duration.ofSeconds(30)).until(() -> job.recordsIn() > EVENTS / 4);
                    job.stopWithSavepoint("sp").get(30, TimeUnit.SECONDS);
                    if (job.recordsIn() >= EVENTS) {
                        throw new IllegalStateException("the savepoint came after the whole input");
                    }
                } else {
                    cluster.execute(p, options.withRestoreFrom(new JobOptions.SnapshotSource(store, "sp")));
                }
            }
            Files.write(Path.of(args[2]), sink.values());
        }
    }
}
