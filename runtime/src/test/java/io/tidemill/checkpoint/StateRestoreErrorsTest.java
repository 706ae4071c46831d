package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.CheckpointJobs.Event;
import io.tidemill.checkpoint.codec.StateTypeChangedException;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.checkpoint.store.SnapshotStore;
import io.tidemill.local.JobFailedException;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import io.tidemill.state.ListState;
import io.tidemill.state.StateDescriptor;
import io.tidemill.state.ValueState;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a restore refuses, and how it says so: a savepoint of one pipeline restored into a job that
 * no longer matches it.
 */
class StateRestoreErrorsTest {
    private static final String SAVEPOINT = "savepoint-1";

    /** The keyed state of the savepointed job: a record, so its class name is in the snapshot. */
    record Tally(long count, long sum) {}

    @TempDir
    Path dir;

    private SnapshotStore store;
    private LocalCluster cluster;

    @BeforeEach
    void start() throws Exception {
        store = new FileSnapshotStore(dir.resolve("state"));
        cluster = LocalCluster.start(2);
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    /** Keeps a {@link Tally} per key in value state "tally". */
    static final class Tallying extends KeyedProcessFunction<Long, Event, Event> {
        private ValueState<Tally> tally;

        @Override
        public void open(RuntimeContext ctx) {
            tally = ctx.state(StateDescriptor.value("tally"));
        }

        @Override
        public void processElement(Event e, Context<Long> ctx, Collector<Event> out) {
            Tally t = tally.value();
            tally.update(t == null ? new Tally(1, e.value()) : new Tally(t.count() + 1, t.sum() + e.value()));
            out.collect(e);
        }
    }

    /** Asks for state "tally" as a list, in {@code open} or only at the first record. */
    static final class TallyingAsList extends KeyedProcessFunction<Long, Event, Event> {
        private final boolean inOpen;
        private ListState<Long> tally;
        private RuntimeContext ctx;

        TallyingAsList(boolean inOpen) {
            this.inOpen = inOpen;
        }

        @Override
        public void open(RuntimeContext ctx) {
            this.ctx = ctx;
            if (inOpen) {
                tally = ctx.state(StateDescriptor.list("tally"));
            }
        }

        @Override
        public void processElement(Event e, Context<Long> c, Collector<Event> out) {
            if (tally == null) {
                tally = ctx.state(StateDescriptor.list("tally"));
            }
            tally.add(e.value());
            out.collect(e);
        }
    }

    private static Sink<Event> discard() {
        return new Sink<>() {
            @Override
            public SinkWriter<Event> createWriter(int subtask, int parallelism) {
                return (value, ts) -> {};
            }
        };
    }

    /**
     * A rate-limited unbounded source keyed into {@code function}, then {@code tail} (extra
     * operators, or none) into a sink.
     */
    private static Pipeline job(KeyedProcessFunction<Long, Event, Event> function,
                                Function<DataStream<Event>, DataStream<Event>> tail) {
        Pipeline p = Pipeline.create().setName("tallies").setParallelism(2);
        DataStream<Event> tallied = p.fromSource(GeneratorSource.unbounded(5_000, i -> new Event(i % 37, i, i)),
                        CheckpointJobs.STRATEGY, "events")
                .keyBy(Event::key)
                .process(function).name("tally");
        tail.apply(tallied).sinkTo(discard(), "sink");
        return p;
    }

    private static DataStream<Event> oneMap(DataStream<Event> s) {
        return s.map(e -> e).name("enrich");
    }

    /** Runs {@code pipeline} until it has processed some records, then stops it with a savepoint. */
    private void savepointOf(Pipeline pipeline) throws Exception {
        JobHandle job = cluster.submit(pipeline, new JobOptions(CheckpointConfig.DISABLED, store,
                RestartStrategy.NONE, false, null));
        await().atMost(Duration.ofSeconds(10)).until(() -> job.recordsIn() > 500);
        job.stopWithSavepoint(SAVEPOINT).get(10, TimeUnit.SECONDS);
        job.join();
    }

    private JobOptions restoringTheSavepoint() {
        return JobOptions.DEFAULT.withRestoreFrom(new JobOptions.SnapshotSource(store, SAVEPOINT));
    }

    /** Submits {@code pipeline} from the savepoint and returns why it failed (at submit or when running). */
    private Throwable failureOfRestoring(Pipeline pipeline) throws Exception {
        JobHandle job;
        try {
            job = cluster.submit(pipeline, restoringTheSavepoint());
        } catch (JobFailedException refusedAtSubmit) {
            return refusedAtSubmit;
        }
        try {
            job.result().get(10, TimeUnit.SECONDS);
        } catch (ExecutionException failedWhenRunning) {
            return failedWhenRunning.getCause();
        } catch (TimeoutException e) {
            job.cancel();
        }
        return fail("the job restored from " + SAVEPOINT + " without an error");
    }

    private static <T extends Throwable> T causeOfType(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return type.cast(c);
            }
        }
        fail("no " + type.getSimpleName() + " in the causes of " + t, t);
        return null;
    }

    static Stream<Arguments> changedPipelines() {
        Function<DataStream<Event>, DataStream<Event>> none = s -> s;
        return Stream.of(
                // savepointed tail, restored tail, the operator id that differs
                Arguments.of("an operator removed", (Function<DataStream<Event>, DataStream<Event>>)
                        StateRestoreErrorsTest::oneMap, none, "n4"),
                Arguments.of("an operator added", none, (Function<DataStream<Event>, DataStream<Event>>)
                        StateRestoreErrorsTest::oneMap, "n4"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changedPipelines")
    void givenASavepoint_whenRestoredIntoAChangedPipeline_thenTheRestoreIsRefusedNamingTheOperator(
            String change, Function<DataStream<Event>, DataStream<Event>> before,
            Function<DataStream<Event>, DataStream<Event>> after, String operatorId) throws Exception {
        savepointOf(job(new Tallying(), before));

        Throwable failure = failureOfRestoring(job(new Tallying(), after));

        IllegalStateException e = causeOfType(failure, IllegalStateException.class);
        assertTrue(e.getMessage().contains("(" + operatorId + ")"), e.getMessage());
        assertTrue(e.getMessage().contains("the pipeline changed"), e.getMessage());
        assertTrue(e.getMessage().contains(SAVEPOINT), e.getMessage());
    }

    @Test
    void givenASavepoint_whenRestoredIntoTheSamePipeline_thenTheJobRuns() throws Exception {
        savepointOf(job(new Tallying(), StateRestoreErrorsTest::oneMap));

        JobHandle resumed = cluster.submit(job(new Tallying(), StateRestoreErrorsTest::oneMap),
                restoringTheSavepoint());
        await().atMost(Duration.ofSeconds(10)).until(() -> resumed.recordsIn() > 200);

        assertFalse(resumed.result().isDone(), "still running");
        resumed.cancel();
    }

    static Stream<Arguments> kindChanges() {
        return Stream.of(
                // list state asked for in open (before the restore) or at the first record (after it)
                Arguments.of(true, "state 'tally' is VALUE state in the snapshot but the job now registers it as LIST"),
                Arguments.of(false, "state 'tally' holds VALUE state (restored or registered before) and is now "
                        + "requested as LIST"));
    }

    @ParameterizedTest(name = "list state asked for in open: {0}")
    @MethodSource("kindChanges")
    void givenValueStateInTheSavepoint_whenTheJobAsksForListStateOfTheSameName_thenTheErrorNamesTheState(
            boolean inOpen, String explanation) throws Exception {
        savepointOf(job(new Tallying(), s -> s));

        Throwable failure = failureOfRestoring(job(new TallyingAsList(inOpen), s -> s));

        IllegalStateException e = causeOfType(failure, IllegalStateException.class);
        assertTrue(e.getMessage().contains(explanation), e.getMessage());
    }

    @Test
    void givenASavepointWithARecordClassNoLongerOnTheClasspath_whenRestored_thenStateTypeChangedIsTheCause()
            throws Exception {
        savepointOf(job(new Tallying(), s -> s));
        String gone = Tally.class.getName().replace("Tally", "Tallx");
        int patched = 0;
        for (String key : store.list(SAVEPOINT + "/")) {
            if (!key.endsWith("/_metadata")) {
                byte[] blob = store.get(key);
                byte[] renamed = replaceAll(blob, Tally.class.getName(), gone);
                patched += Arrays.equals(blob, renamed) ? 0 : 1;
                store.put(key, renamed);
            }
        }
        assertTrue(patched > 0, "the savepoint holds Tally records");

        Throwable failure = failureOfRestoring(job(new Tallying(), s -> s));

        StateTypeChangedException e = causeOfType(failure, StateTypeChangedException.class);
        assertTrue(e.getMessage().contains(gone), e.getMessage());
        assertTrue(e.getMessage().contains("not on the classpath"), e.getMessage());
    }

    /** Replaces every length-prefixed UTF-8 string {@code old} (as the codec writes strings) in {@code b}. */
    private static byte[] replaceAll(byte[] b, String old, String replacement) {
        byte[] from = framed(old);
        byte[] to = framed(replacement);
        assertEquals(from.length, to.length, "same length keeps the enclosing sections' lengths right");
        byte[] out = b.clone();
        for (int i = 0; i + from.length <= out.length; i++) {
            if (Arrays.equals(out, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, out, i, to.length);
            }
        }
        return out;
    }

    private static byte[] framed(String s) {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).array();
    }
}
