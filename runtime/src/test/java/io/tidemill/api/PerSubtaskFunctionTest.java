package io.tidemill.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.function.RichFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.state.KeyGroups;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every subtask runs its own instance of a user function: plain fields (a counter, the subtask
 * index kept in {@code open}) belong to one subtask, whether the pipeline was given an instance
 * (copied per subtask) or a supplier (called per subtask).
 */
@Timeout(60)
class PerSubtaskFunctionTest {
    private static final int PARALLELISM = 4;
    private static final int RECORDS = 20_000;
    private static final int KEYS = 500;

    @Test
    void anInstanceIsCopiedForEverySubtask() {
        ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
        CollectSink<String> sink = new CollectSink<>();

        // given one instance with a plain counter and the subtask index it saw in open
        run(keyed -> keyed.process(new CountingFunction(closed)), sink);

        // then every subtask reported its own index and count once, and the counts add up
        assertReports(closed);
        // and each record was handled by the subtask that owns its key, by the index kept in open
        assertRecordsTaggedWithOwningSubtask(sink.values());
    }

    @Test
    void aSupplierIsCalledForEverySubtask() {
        ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
        CollectSink<String> sink = new CollectSink<>();

        // given a supplier of the function
        run(keyed -> keyed.process(() -> new CountingFunction(closed)), sink);

        // then
        assertReports(closed);
        assertRecordsTaggedWithOwningSubtask(sink.values());
    }

    @Test
    void aWindowFunctionIsCopiedForEverySubtaskAndClosed() {
        ConcurrentLinkedQueue<String> closed = new ConcurrentLinkedQueue<>();
        CollectSink<String> sink = new CollectSink<>();
        Pipeline p = Pipeline.create().setParallelism(PARALLELISM);

        // given a window function counting the windows it evaluated in a plain field
        p.fromCollection(LongStream.range(0, RECORDS).boxed().toList(),
                        WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ZERO).withTimestampAssigner((v, t) -> v))
                .keyBy(v -> v % KEYS)
                .window(TumblingWindows.eventTime(Duration.ofMillis(1000)))
                .process(new ProcessWindowFunction<Long, String, Long>() {
                    private int subtask = -1;
                    private long windows;

                    @Override
                    public void open(RuntimeContext ctx) {
                        subtask = ctx.subtaskIndex();
                    }

                    @Override
                    public void process(Long key, Context ctx, Iterable<Long> elements, Collector<String> out) {
                        windows++;
                        out.collect(subtask + ":" + key);
                    }

                    @Override
                    public void close() {
                        closed.add(subtask + ":" + windows);
                    }
                })
                .sinkTo(sink);
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(p);
        }

        // then: 500 keys × 20 windows evaluated, each subtask counting its own
        Map<Integer, Long> bySubtask = reportsBySubtask(closed);
        assertEquals(List.of(0, 1, 2, 3), new ArrayList<>(bySubtask.keySet()));
        assertEquals(KEYS * (RECORDS / 1000), bySubtask.values().stream().mapToLong(Long::longValue).sum());
        assertRecordsTaggedWithOwningSubtask(sink.values());
    }

    @Test
    void aCopyOverrideCopiesWhatTheConstructorCreated() {
        // given a function whose copy() gives every copy its own list
        ListKeeping original = new ListKeeping();

        // when the engine takes two copies
        ListKeeping a = RichFunction.forSubtask(original);
        ListKeeping b = RichFunction.forSubtask(original);
        a.seen.add("x");

        // then
        assertTrue(b.seen.isEmpty());
        assertTrue(original.seen.isEmpty());
    }

    // ---- harness ----

    private interface Build {
        DataStream<String> apply(KeyedStream<Long, Long> keyed);
    }

    private static void run(Build build, CollectSink<String> sink) {
        Pipeline p = Pipeline.create().setParallelism(PARALLELISM);
        KeyedStream<Long, Long> keyed = p.fromCollection(LongStream.range(0, RECORDS).boxed().toList(),
                WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ZERO).withTimestampAssigner((v, t) -> v))
                .keyBy(v -> v % KEYS);
        build.apply(keyed).sinkTo(sink);
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(p);
        }
    }

    private static void assertReports(ConcurrentLinkedQueue<String> closed) {
        Map<Integer, Long> bySubtask = reportsBySubtask(closed);
        assertEquals(List.of(0, 1, 2, 3), new ArrayList<>(bySubtask.keySet()), "one report per subtask: " + closed);
        assertEquals(RECORDS, bySubtask.values().stream().mapToLong(Long::longValue).sum(), "counts: " + closed);
        bySubtask.values().forEach(c -> assertTrue(c > 0, "every subtask got records: " + closed));
    }

    private static Map<Integer, Long> reportsBySubtask(ConcurrentLinkedQueue<String> closed) {
        Map<Integer, Long> bySubtask = new TreeMap<>();
        for (String r : closed) {
            String[] parts = r.split(":");
            Long previous = bySubtask.put(Integer.parseInt(parts[0]), Long.parseLong(parts[1]));
            assertEquals(null, previous, "subtask " + parts[0] + " reported twice: " + closed);
        }
        return bySubtask;
    }

    private static void assertRecordsTaggedWithOwningSubtask(List<String> rows) {
        assertTrue(!rows.isEmpty());
        for (String row : rows) {
            String[] parts = row.split(":");
            long key = Long.parseLong(parts[1]);
            int owner = KeyGroups.subtaskOf(KeyGroups.keyGroupOf(key, KeyGroups.DEFAULT_MAX_PARALLELISM),
                    KeyGroups.DEFAULT_MAX_PARALLELISM, PARALLELISM);
            assertEquals(owner, Integer.parseInt(parts[0]), "key " + key + " was handled by subtask " + parts[0]);
        }
    }

    /** Counts its records in a plain field and remembers its subtask in another. */
    static final class CountingFunction extends KeyedProcessFunction<Long, Long, String> {
        private final ConcurrentLinkedQueue<String> closed;
        private int subtask = -1;
        private long count;

        CountingFunction(ConcurrentLinkedQueue<String> closed) {
            this.closed = closed;
        }

        @Override
        public void open(RuntimeContext ctx) {
            subtask = ctx.subtaskIndex();
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<String> out) {
            count++;
            out.collect(subtask + ":" + ctx.currentKey());
        }

        @Override
        public void close() {
            closed.add(subtask + ":" + count);
        }
    }

    /** Creates a list in its constructor and copies it per subtask. */
    static final class ListKeeping extends KeyedProcessFunction<Long, Long, String> {
        private List<String> seen = new ArrayList<>();

        @Override
        protected ListKeeping copy() {
            ListKeeping c = (ListKeeping) super.copy();
            c.seen = new ArrayList<>(seen);
            return c;
        }

        @Override
        public void processElement(Long value, Context<Long> ctx, Collector<String> out) {
            seen.add(String.valueOf(value));
        }
    }
}
