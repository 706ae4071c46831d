package io.tidemill.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Keyed state and timers of a {@link KeyedProcessFunction} over 1000 keys: the output, as a sorted
 * list, is the same at every parallelism and equals what a plain single-threaded loop computes.
 *
 * <p>Input: record {@code i} (0 ≤ i < 5000) has key {@code "k" + i % 1000} and event timestamp
 * {@code i}; the source reads it in timestamp order per split, so no record is late.
 */
class KeyedStateAndTimersTest {
    private static final int KEYS = 1000;
    private static final int RECORDS = 5000;
    private static final List<Long> INPUT = LongStream.range(0, RECORDS).boxed().toList();

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void valueListMapAndReducingStateHoldEachKeysRecords(int parallelism) {
        // given a function keeping each kind of state, reporting it from an event-time timer after the input
        // when it runs
        List<String> got = run(parallelism, StateSummary::new);

        // then
        assertEquals(expectedStateSummaries(), got);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void eventTimeTimersFireOncePerKeyAndTime(int parallelism) {
        // given each record registers a timer 500 ms into the next 1000 ms bucket; most fire mid-stream,
        // and a key registering the same time again gets one timer
        // when it runs
        List<String> got = run(parallelism, EventTimeTimers::new);

        // then: one firing per distinct (key, time), with the watermark past the time
        assertEquals(expectedEventTimeFirings(), got);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void processingTimeTimersFireForEveryKey(int parallelism) {
        // given each key registers one processing-time timer, due at once, on its first record
        // when it runs
        List<String> got = run(parallelism, ProcessingTimeTimers::new);

        // then
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            expected.add("k" + k + " processing-time timer");
        }
        expected.sort(null);
        assertEquals(expected, got);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void deletedTimersDoNotFire(int parallelism) {
        // given every key registers a timer per record and deletes it again, except for even records
        // when it runs
        List<String> got = run(parallelism, DeletedTimers::new);

        // then: only the kept timers fire
        List<String> expected = new ArrayList<>();
        for (long i = 0; i < RECORDS; i += 2) {
            expected.add("k" + i % KEYS + " fired " + (i + 1_000_000));
        }
        expected.sort(null);
        assertEquals(expected, got);
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2, 4})
    void windowFunctionKeepsKeyedStateAcrossTheWindowsOfItsKey(int parallelism) {
        // given 1000 ms windows (one record per key each) and a window function numbering each key's firings
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        pipeline.fromCollection(INPUT, WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ZERO)
                        .withTimestampAssigner((v, ts) -> v))
                .keyBy(v -> "k" + v % KEYS)
                .window(TumblingWindows.eventTime(Duration.ofMillis(1000)))
                .aggregate(Aggregates.count(), new ProcessWindowFunction<Long, String, String>() {
                    private ValueState<Integer> firings;

                    @Override
                    public void open(RuntimeContext ctx) {
                        firings = ctx.state(StateDescriptor.value("firings"));
                    }

                    @Override
                    public void process(String key, Context ctx, Iterable<Long> counts, Collector<String> out) {
                        int n = firings.value() == null ? 1 : firings.value() + 1;
                        firings.update(n);
                        out.collect(key + " window " + ctx.window().start() + " is firing " + n);
                    }
                })
                .sinkTo(sink);

        // when
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(pipeline);
        }

        // then: each key's windows fire in time order, numbered 1 to 5
        List<String> expected = new ArrayList<>();
        for (int k = 0; k < KEYS; k++) {
            for (int w = 0; w < RECORDS / KEYS; w++) {
                expected.add("k" + k + " window " + w * 1000 + " is firing " + (w + 1));
            }
        }
        expected.sort(null);
        List<String> got = new ArrayList<>(sink.values());
        got.sort(null);
        assertEquals(expected, got);
    }

    // ---- harness ----

    private static List<String> run(int parallelism, Supplier<KeyedProcessFunction<String, Long, String>> fn) {
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        CollectSink<String> sink = new CollectSink<>();
        pipeline.fromCollection(INPUT, WatermarkStrategy.<Long>forBoundedOutOfOrderness(Duration.ZERO)
                        .withTimestampAssigner((v, ts) -> v))
                .keyBy(v -> "k" + v % KEYS)
                .process(fn.get())
                .sinkTo(sink);
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(pipeline);
        }
        List<String> got = new ArrayList<>(sink.values());
        got.sort(null);
        return got;
    }

    private static List<String> expectedStateSummaries() {
        Map<String, List<Long>> byKey = new TreeMap<>();
        for (long v : INPUT) {
            byKey.computeIfAbsent("k" + v % KEYS, k -> new ArrayList<>()).add(v);
        }
        List<String> expected = new ArrayList<>();
        byKey.forEach((key, values) -> {
            long sum = values.stream().mapToLong(Long::longValue).sum();
            Map<String, Long> parity = new TreeMap<>();
            for (long v : values) {
                parity.merge(v % 2 == 0 ? "even" : "odd", 1L, Long::sum);
            }
            expected.add(StateSummary.format(key, values.size(), values, parity, sum));
        });
        expected.sort(null);
        return expected;
    }

    private static List<String> expectedEventTimeFirings() {
        TreeSet<String> firings = new TreeSet<>();
        for (long v : INPUT) {
            long time = EventTimeTimers.timerFor(v);
            firings.add("k" + v % KEYS + " fired " + time + " watermark>=time");
        }
        return new ArrayList<>(firings);
    }

    // ---- functions under test ----

    /** Keeps a count (value), the records (list), even/odd counts (map) and the sum (reducing). */
    static final class StateSummary extends KeyedProcessFunction<String, Long, String> {
        private ValueState<Long> count;
        private ListState<Long> values;
        private MapState<String, Long> parity;
        private ReducingState<Long> sum;

        @Override
        public void open(RuntimeContext ctx) {
            count = ctx.state(StateDescriptor.value("count"));
            values = ctx.state(StateDescriptor.list("values"));
            parity = ctx.state(StateDescriptor.map("parity"));
            sum = ctx.state(StateDescriptor.reducing("sum", Long::sum));
        }

        @Override
        public void processElement(Long v, Context<String> ctx, Collector<String> out) {
            Long c = count.value();
            count.update(c == null ? 1 : c + 1);
            values.add(v);
            String p = v % 2 == 0 ? "even" : "odd";
            Long n = parity.get(p);
            parity.put(p, n == null ? 1 : n + 1);
            sum.add(v);
            ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE - 1);
        }

        @Override
        public void onTimer(long time, OnTimerContext<String> ctx, Collector<String> out) {
            out.collect(format(ctx.currentKey(), count.value(), values.get(), parity.entries(), sum.get()));
        }

        static String format(String key, long count, List<Long> values, Map<String, Long> parity, long sum) {
            List<Long> sortedValues = new ArrayList<>(values);
            sortedValues.sort(null);
            return key + " count=" + count + " values=" + sortedValues + " parity=" + new TreeMap<>(parity)
                    + " sum=" + sum;
        }
    }

    /** Registers a timer at the end of the 1000 ms bucket after each record's; reports each firing. */
    static final class EventTimeTimers extends KeyedProcessFunction<String, Long, String> {
        static long timerFor(long ts) {
            return (ts / 1000 + 1) * 1000 + 500;
        }

        @Override
        public void processElement(Long v, Context<String> ctx, Collector<String> out) {
            ctx.timerService().registerEventTimeTimer(timerFor(ctx.timestamp()));
        }

        @Override
        public void onTimer(long time, OnTimerContext<String> ctx, Collector<String> out) {
            boolean due = ctx.timerService().currentWatermark() >= time;
            out.collect(ctx.currentKey() + " fired " + time + (due ? " watermark>=time" : " watermark<time"));
        }
    }

    /** Registers one processing-time timer per key, due immediately, and reports it. */
    static final class ProcessingTimeTimers extends KeyedProcessFunction<String, Long, String> {
        private ValueState<Boolean> registered;

        @Override
        public void open(RuntimeContext ctx) {
            registered = ctx.state(StateDescriptor.value("registered"));
        }

        @Override
        public void processElement(Long v, Context<String> ctx, Collector<String> out) {
            if (registered.value() == null) {
                registered.update(true);
                ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime());
            }
        }

        @Override
        public void onTimer(long time, OnTimerContext<String> ctx, Collector<String> out) {
            out.collect(ctx.currentKey() + " processing-time timer");
        }
    }

    /** Registers a timer per record and deletes those of odd records. */
    static final class DeletedTimers extends KeyedProcessFunction<String, Long, String> {
        @Override
        public void processElement(Long v, Context<String> ctx, Collector<String> out) {
            ctx.timerService().registerEventTimeTimer(v + 1_000_000);
            if (v % 2 == 1) {
                ctx.timerService().deleteEventTimeTimer(v + 1_000_000);
            }
        }

        @Override
        public void onTimer(long time, OnTimerContext<String> ctx, Collector<String> out) {
            out.collect(ctx.currentKey() + " fired " + time);
        }
    }
}
