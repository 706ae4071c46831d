package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.checkpoint.store.SnapshotStore;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The coordinator's state machine, driven with explicit times: a fake driver stands in for the
 * runtime, and the test plays the tasks (writes their blobs, acknowledges).
 */
@Timeout(30)
class CheckpointCoordinatorTest {
    private static final long INTERVAL = 100;
    private static final long TIMEOUT = 1_000;
    private static final List<CheckpointCoordinator.TaskInfo> TASKS = List.of(
            new CheckpointCoordinator.TaskInfo(0, 0, 0, 2, List.of("n0", "n1")),
            new CheckpointCoordinator.TaskInfo(1, 0, 1, 2, List.of("n0", "n1")),
            new CheckpointCoordinator.TaskInfo(2, 1, 0, 1, List.of("n3")));

    @TempDir
    Path dir;

    private SnapshotStore store;
    private final FakeDriver driver = new FakeDriver();
    private final HeldIo io = new HeldIo();
    /** The test's clock: what {@link #ackAll} completes at. */
    private long now;

    @BeforeEach
    void openStore() throws Exception {
        store = new FileSnapshotStore(dir.resolve("state"));
    }

    /** Records what the coordinator asks of the runtime. */
    private static final class FakeDriver implements CheckpointCoordinator.Driver {
        final List<Long> injected = new ArrayList<>();
        final List<Boolean> injectedSavepoint = new ArrayList<>();
        final List<Long> completed = new ArrayList<>();
        final List<Long> aborted = new ArrayList<>();
        final List<CheckpointFailuresException> jobFailures = new ArrayList<>();

        @Override
        public void injectBarrier(long checkpointId, boolean savepoint) {
            injected.add(checkpointId);
            injectedSavepoint.add(savepoint);
        }

        @Override
        public void notifyComplete(long checkpointId) {
            completed.add(checkpointId);
        }

        @Override
        public void notifyAborted(long checkpointId) {
            aborted.add(checkpointId);
        }

        @Override
        public void failJob(CheckpointFailuresException cause) {
            jobFailures.add(cause);
        }
    }

    /** The coordinator's I/O executor: runs a task at once, or, while held, when the test releases it. */
    private static final class HeldIo implements Executor {
        final ArrayDeque<Runnable> queued = new ArrayDeque<>();
        boolean held;

        @Override
        public void execute(Runnable task) {
            if (held) {
                queued.add(task);
            } else {
                task.run();
            }
        }

        void release() {
            held = false;
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
        }
    }

    private CheckpointCoordinator coordinator(CheckpointConfig config) {
        return new CheckpointCoordinator(config, store, "test-job", 128, TASKS, 1, driver, io, () -> now);
    }

    private static CheckpointConfig config() {
        return CheckpointConfig.every(Duration.ofMillis(INTERVAL)).withTimeout(Duration.ofMillis(TIMEOUT));
    }

    /** Task {@code task} writes its blob for checkpoint {@code id} and acknowledges, as the runtime does. */
    private void ack(CheckpointCoordinator c, long id, int task) throws Exception {
        String key = c.prefixOf(id) + "/t" + task + "-" + id;
        byte[] blob = blobOf(task, id);
        store.put(key, blob);
        c.acknowledge(id, task, new CheckpointCoordinator.Ack(key, blob.length, 1_000 * (task + 1), 10 * task));
    }

    /** A real task blob: each operator of the task with a little operator state. */
    private static byte[] blobOf(int task, long id) throws Exception {
        Map<String, OperatorSnapshot> ops = new LinkedHashMap<>();
        for (String op : TASKS.get(task).operators()) {
            OperatorSnapshot s = new OperatorSnapshot(id);
            s.operatorState().writeUTF("state of " + op + " in task " + task);
            ops.put(op, s);
        }
        return TaskSnapshot.encode(ops);
    }

    /** Every task acknowledges checkpoint {@code id} at time {@code at}. */
    private void ackAll(CheckpointCoordinator c, long id, long at) throws Exception {
        now = at;
        for (CheckpointCoordinator.TaskInfo t : TASKS) {
            ack(c, id, t.task());
        }
    }

    private long lastInjected() {
        return driver.injected.get(driver.injected.size() - 1);
    }

    @Test
    void givenCheckpointsEnabled_whenFirstTicked_thenBarrierOneIsInjectedAsACheckpoint() {
        CheckpointCoordinator c = coordinator(config());

        c.tick(0);

        assertEquals(List.of(1L), driver.injected);
        assertEquals(List.of(false), driver.injectedSavepoint);
        assertTrue(c.inFlight());
        assertEquals("chk-1", c.prefixOf(1));
    }

    @Test
    void givenCheckpointsDisabled_whenTicked_thenNothingIsTriggered() {
        CheckpointCoordinator c = coordinator(CheckpointConfig.DISABLED);

        c.tick(0);
        c.tick(1_000_000);

        assertTrue(driver.injected.isEmpty());
    }

    /**
     * Checkpoint 1 starts at 0 and completes at {@code completedAt}; is checkpoint 2 triggered by a tick
     * at {@code tickAt}? The interval counts from the last start, the minimum pause from the last end.
     */
    static Stream<Arguments> nextTrigger() {
        return Stream.of(
                // interval, minPause, completedAt, tickAt, triggers
                Arguments.of(100, 0, 10, 99, false),     // interval not yet passed
                Arguments.of(100, 0, 10, 100, true),     // exactly at the interval
                Arguments.of(100, 0, 250, 250, true),    // took longer than the interval: next one at once
                Arguments.of(100, 50, 10, 100, true),    // pause long over at the interval
                Arguments.of(100, 50, 80, 100, false),   // interval passed, but only 20 ms of pause
                Arguments.of(100, 50, 80, 129, false),   // 49 ms of pause
                Arguments.of(100, 50, 80, 130, true),    // exactly the minimum pause
                Arguments.of(100, 500, 250, 700, false), // pause dominates a long interval
                Arguments.of(100, 500, 250, 750, true));
    }

    @ParameterizedTest(name = "interval {0}, min pause {1}, completed at {2}, tick at {3}: triggers={4}")
    @MethodSource("nextTrigger")
    void givenACompletedCheckpoint_whenTicked_thenTheNextStartsOnlyAfterIntervalAndMinimumPause(
            long interval, long minPause, long completedAt, long tickAt, boolean triggers) throws Exception {
        CheckpointCoordinator c = coordinator(CheckpointConfig.every(Duration.ofMillis(interval))
                .withMinPause(Duration.ofMillis(minPause)).withTimeout(Duration.ofMillis(TIMEOUT)));
        c.tick(0);
        ackAll(c, 1, completedAt);

        c.tick(tickAt);

        assertEquals(triggers ? List.of(1L, 2L) : List.of(1L), driver.injected);
    }

    @Test
    void givenACheckpointInFlight_whenTickedPastTheInterval_thenNoSecondOneStarts() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        ack(c, 1, 0);

        c.tick(INTERVAL);
        c.tick(5 * INTERVAL);
        c.tick(TIMEOUT);

        assertEquals(List.of(1L), driver.injected);
        assertTrue(c.inFlight());
    }

    @Test
    void givenSomeTasksAcknowledged_whenNotAllHave_thenTheCheckpointIsNotComplete() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);

        ack(c, 1, 0);
        ack(c, 1, 2);

        assertTrue(c.inFlight());
        assertTrue(driver.completed.isEmpty());
        assertTrue(LoadedCheckpoint.completedIds(store).isEmpty(), "no metadata before the last ack");
    }

    @Test
    void givenLeftoversOfCheckpointsThatNeverCompleted_whenALaterOneCompletes_thenTheyAreDeleted() throws Exception {
        store.put("chk-3/t0", blobOf(0, 3)); // a killed process's partial checkpoint 3
        store.put("chk-99/t0", blobOf(0, 99)); // a newer leftover stays: it is not known to be dead
        CheckpointCoordinator c = new CheckpointCoordinator(config(), store, "test-job", 128, TASKS, 5, driver,
                io, () -> now);
        c.tick(0);
        assertEquals(5, lastInjected());

        ackAll(c, 5, 10);

        assertEquals(List.of(5L), LoadedCheckpoint.completedIds(store));
        assertTrue(store.list("chk-3/").isEmpty(), "the partial checkpoint is gone");
        assertFalse(store.list("chk-99/").isEmpty());
    }

    @Test
    void givenAllTasksAcknowledged_thenMetadataIsWrittenAndTheDriverNotified() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);

        ackAll(c, 1, 40);

        assertFalse(c.inFlight());
        assertEquals(List.of(1L), driver.completed);
        assertEquals(List.of(1L), LoadedCheckpoint.completedIds(store));
        LoadedCheckpoint loaded = LoadedCheckpoint.load(store, "chk-1");
        assertEquals(1, loaded.metadata().checkpointId());
        assertFalse(loaded.metadata().savepoint());
        assertEquals("test-job", loaded.metadata().jobName());
        assertEquals(128, loaded.metadata().maxParallelism());
        assertEquals(List.of("chk-1/t0-1", "chk-1/t1-1", "chk-1/t2-1"),
                loaded.metadata().tasks().stream().map(CheckpointMetadata.TaskState::blob).toList());
        assertEquals(2, loaded.operators().get("n0").size(), "both subtasks of the first vertex");
        assertEquals(1, loaded.operators().get("n3").size());
    }

    @Test
    void givenAllTasksAcknowledged_thenTheCompletedCheckpointReportsDurationBytesAndMaxima() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);

        ackAll(c, 1, 40);

        CheckpointCoordinator.Completed done = c.completed().get(0);
        assertEquals(1, done.id());
        assertEquals("chk-1", done.prefix());
        assertEquals(40, done.durationMillis());
        long bytes = 0;
        for (CheckpointCoordinator.TaskInfo t : TASKS) {
            bytes += blobOf(t.task(), 1).length;
        }
        assertEquals(bytes, done.bytes());
        assertEquals(3_000, done.maxSyncNanos());
        assertEquals(20, done.maxAlignNanos());
    }

    @Test
    void givenAnAcknowledgementOfAnOlderCheckpoint_thenItIsIgnored() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        c.tick(TIMEOUT + 1); // 1 times out
        c.tick(TIMEOUT + 1 + INTERVAL); // 2 starts

        for (CheckpointCoordinator.TaskInfo t : TASKS) {
            c.acknowledge(1, t.task(), new CheckpointCoordinator.Ack("chk-1/t" + t.task(), 1, 0, 0));
        }

        assertTrue(c.inFlight());
        assertEquals(2, lastInjected());
        assertTrue(driver.completed.isEmpty());
    }

    /** Ways a checkpoint in flight (id 1, started at 0) ends without completing. */
    static Stream<Arguments> aborts() {
        return Stream.of(
                // how, abort, counts as a failure
                Arguments.of("timeout", (BiConsumer<CheckpointCoordinator, Long>) (c, id) -> c.tick(TIMEOUT + 1),
                        1),
                Arguments.of("decline", (BiConsumer<CheckpointCoordinator, Long>) (c, id) ->
                        c.decline(id, "task 2 could not write its snapshot", null), 1),
                Arguments.of("stop", (BiConsumer<CheckpointCoordinator, Long>) (c, id) ->
                        c.stop("the job is cancelled"), 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aborts")
    void givenACheckpointInFlight_whenAborted_thenItsBlobsAreDeletedAndTheDriverNotified(
            String how, BiConsumer<CheckpointCoordinator, Long> abort, int failures) throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        ack(c, 1, 0);
        ack(c, 1, 1);
        assertEquals(2, store.list("chk-1/").size());

        abort.accept(c, 1L);

        assertNull(c.prefixOf(1), "checkpoint 1 is no longer in flight");
        assertEquals(List.of(1L), driver.aborted);
        assertTrue(driver.completed.isEmpty());
        assertEquals(failures, c.failedCount(), "an abort because the job ends is no failure");
        assertEquals(List.of(), store.list("chk-1"));
        assertTrue(LoadedCheckpoint.completedIds(store).isEmpty());
    }

    @Test
    void givenACheckpointInFlight_whenTickedAtExactlyTheTimeout_thenItIsNotYetAborted() {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);

        c.tick(TIMEOUT);

        assertTrue(c.inFlight());
        assertTrue(driver.aborted.isEmpty());
    }

    @Test
    void givenATimedOutCheckpoint_whenItsLastAckArrivesLate_thenItDoesNotComplete() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        ack(c, 1, 0);
        ack(c, 1, 1);
        c.tick(TIMEOUT + 1);

        c.acknowledge(1, 2, new CheckpointCoordinator.Ack("chk-1/t2", 1, 0, 0));

        assertTrue(driver.completed.isEmpty());
        assertNull(store.get("chk-1/_metadata"));
    }

    @Test
    void givenADeclineOfAnotherCheckpoint_thenTheOneInFlightGoesOn() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);

        c.decline(7, "stale", null);

        assertTrue(c.inFlight());
        assertTrue(driver.aborted.isEmpty());
    }

    @Test
    void givenAnAbortedCheckpoint_whenTheIntervalPasses_thenTheNextOneHasANewId() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        c.decline(1, "no", null);

        c.tick(INTERVAL);
        ackAll(c, 2, INTERVAL + 5);

        assertEquals(List.of(1L, 2L), driver.injected);
        assertEquals(List.of(2L), LoadedCheckpoint.completedIds(store));
    }

    @Test
    void givenRetentionOfTwo_whenFourCheckpointsComplete_thenOnlyTheLastTwoRemain() throws Exception {
        CheckpointCoordinator c = coordinator(config().withRetained(2));

        for (long id = 1; id <= 4; id++) {
            long start = (id - 1) * INTERVAL;
            c.tick(start);
            ackAll(c, id, start + 10);
        }

        assertEquals(List.of(3L, 4L), LoadedCheckpoint.completedIds(store));
        assertEquals(List.of(), store.list("chk-1"));
        assertEquals(List.of(), store.list("chk-2"));
        assertEquals(4, store.list("chk-3/").size(), "three blobs and the metadata");
    }

    @Test
    void givenCheckpointsAdoptedFromAnEarlierRun_whenNewOnesComplete_thenRetentionDeletesTheAdoptedFirst()
            throws Exception {
        CheckpointCoordinator first = coordinator(config());
        first.tick(0);
        ackAll(first, 1, 10);
        CheckpointCoordinator c = new CheckpointCoordinator(config().withRetained(1), store, "test-job", 128, TASKS,
                2, driver, io, () -> now);
        c.adoptRetained(1, "chk-1");

        c.tick(0);
        ackAll(c, 2, 10);

        assertEquals(List.of(2L), LoadedCheckpoint.completedIds(store));
    }

    @Test
    void givenASavepointRequest_whenTicked_thenItIsWrittenUnderItsPrefixAndItsFutureCompletes() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        CompletableFuture<CheckpointCoordinator.Completed> savepoint = c.triggerSavepoint("savepoint-x");

        c.tick(0);
        assertEquals(List.of(true), driver.injectedSavepoint);
        assertEquals("savepoint-x", c.prefixOf(1));
        ackAll(c, 1, 25);

        assertTrue(savepoint.isDone());
        assertEquals("savepoint-x", savepoint.get().prefix());
        assertEquals(1, savepoint.get().id());
        LoadedCheckpoint loaded = LoadedCheckpoint.load(store, "savepoint-x");
        assertTrue(loaded.metadata().savepoint());
        assertTrue(LoadedCheckpoint.completedIds(store).isEmpty(), "a savepoint is not a checkpoint");
    }

    @Test
    void givenACheckpointInFlight_whenASavepointIsRequested_thenItStartsRightAfterIt() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        CompletableFuture<CheckpointCoordinator.Completed> savepoint = c.triggerSavepoint("savepoint-1");

        c.tick(5);
        assertEquals(List.of(1L), driver.injected);
        ackAll(c, 1, 10);
        c.tick(11); // neither the interval nor the pause apply to a requested savepoint

        assertEquals(List.of(1L, 2L), driver.injected);
        assertEquals(List.of(false, true), driver.injectedSavepoint);
        ackAll(c, 2, 20);
        assertEquals("savepoint-1", savepoint.get().prefix());
    }

    @Test
    void givenASavepoint_whenMoreCheckpointsCompleteThanRetained_thenTheSavepointIsKept() throws Exception {
        CheckpointCoordinator c = coordinator(config().withRetained(1));
        c.triggerSavepoint("savepoint-1");
        c.tick(0);
        ackAll(c, 1, 10);

        for (long id = 2; id <= 4; id++) {
            long start = (id - 1) * INTERVAL;
            c.tick(start);
            ackAll(c, id, start + 10);
        }

        assertEquals(List.of(4L), LoadedCheckpoint.completedIds(store));
        assertNotNull(store.get("savepoint-1/_metadata"));
        assertNotNull(LoadedCheckpoint.load(store, "savepoint-1"));
    }

    @Test
    void givenASavepointInFlight_whenItTimesOut_thenItsFutureFailsAndItsBlobsAreDeleted() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        CompletableFuture<CheckpointCoordinator.Completed> savepoint = c.triggerSavepoint("savepoint-1");
        c.tick(0);
        ack(c, 1, 0);

        c.tick(TIMEOUT + 1);

        ExecutionException e = assertThrows(ExecutionException.class, savepoint::get);
        assertTrue(e.getCause().getMessage().contains("timed out"), e.getCause().getMessage());
        assertEquals(List.of(), store.list("savepoint-1"));
    }

    @Test
    void givenACheckpointInFlight_whenStopped_thenItIsAbortedAndNoMoreAreTriggered() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);

        c.stop("a source finished");
        c.tick(10 * INTERVAL);

        assertEquals(List.of(1L), driver.aborted);
        assertEquals(List.of(1L), driver.injected);
        assertFalse(c.inFlight());
    }

    @Test
    void givenARequestedSavepointNotYetStarted_whenStopped_thenItsFutureFails() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        CompletableFuture<CheckpointCoordinator.Completed> savepoint = c.triggerSavepoint("savepoint-1");

        c.stop("the job attempt ended");

        ExecutionException e = assertThrows(ExecutionException.class, savepoint::get);
        assertTrue(e.getCause().getMessage().contains("the job attempt ended"), e.getCause().getMessage());
    }

    @Test
    void givenAStoppedCoordinator_whenASavepointIsRequested_thenItFailsAtOnce() {
        CheckpointCoordinator c = coordinator(config());
        c.stop("done");

        CompletableFuture<CheckpointCoordinator.Completed> savepoint = c.triggerSavepoint("savepoint-1");

        assertTrue(savepoint.isCompletedExceptionally());
        c.tick(0);
        assertTrue(driver.injected.isEmpty());
    }

    @Test
    void givenAllTasksAcknowledged_whenTheMetadataWriteIsStillRunning_thenTheCheckpointIsNotYetComplete()
            throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        io.held = true;

        ackAll(c, 1, 40);

        assertTrue(c.inFlight());
        assertTrue(driver.completed.isEmpty());
        assertNull(store.get("chk-1/_metadata"));
        io.release();
        assertEquals(List.of(1L), driver.completed);
        assertEquals(List.of(1L), LoadedCheckpoint.completedIds(store));
    }

    /** Ways the checkpoint in flight ends while its metadata is being written (the write then succeeds). */
    static Stream<Arguments> abortsDuringTheMetadataWrite() {
        return Stream.of(
                Arguments.of("timeout", (BiConsumer<CheckpointCoordinator, Long>) (c, id) -> c.tick(TIMEOUT + 1)),
                Arguments.of("stop", (BiConsumer<CheckpointCoordinator, Long>) (c, id) -> c.stop("job ends")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("abortsDuringTheMetadataWrite")
    void givenACheckpointAbortedWhileItsMetadataWasWritten_whenTheWriteLands_thenItIsDeletedAndNeverComplete(
            String how, BiConsumer<CheckpointCoordinator, Long> abort) throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        io.held = true;
        ackAll(c, 1, 40);

        abort.accept(c, 1L);
        io.release();

        assertEquals(List.of(1L), driver.aborted);
        assertTrue(driver.completed.isEmpty());
        assertTrue(c.completed().isEmpty());
        assertEquals(List.of(), store.list("chk-1"), "the late metadata and the blobs are deleted");
    }

    @Test
    void givenAMetadataWriteThatHangs_whenTicked_thenTheCoordinatorAnswersAndTimesTheCheckpointOut()
            throws Exception {
        CountDownLatch writeMayEnd = new CountDownLatch(1);
        SnapshotStore files = store;
        store = new HangingMetadataStore(files, writeMayEnd);
        ExecutorService ioThread = Executors.newSingleThreadExecutor();
        try {
            CheckpointCoordinator c = new CheckpointCoordinator(config(), store, "test-job", 128, TASKS, 1, driver,
                    ioThread, () -> now);
            c.tick(0);
            ackAll(c, 1, 40); // the metadata write now hangs on the I/O thread

            // Under the old design the coordinator's lock was held through the write: this blocked.
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> c.tick(TIMEOUT + 1));

            assertNull(c.prefixOf(1));
            assertEquals(List.of(1L), driver.aborted);
            assertEquals(1, c.failedCount());
            assertEquals(List.of(1L, 2L), driver.injected, "the next checkpoint starts meanwhile");
            writeMayEnd.countDown();
            await().atMost(Duration.ofSeconds(5)).until(() -> files.list("chk-1").isEmpty());
            assertTrue(driver.completed.isEmpty());
        } finally {
            writeMayEnd.countDown();
            ioThread.shutdownNow();
        }
    }

    /** Writes of {@code _metadata} wait for a latch; everything else goes straight to the files. */
    private record HangingMetadataStore(SnapshotStore files, CountDownLatch writeMayEnd) implements SnapshotStore {
        @Override
        public void put(String key, byte[] blob) throws IOException {
            if (key.endsWith("/_metadata")) {
                try {
                    writeMayEnd.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
            files.put(key, blob);
        }

        @Override
        public byte[] get(String key) throws IOException {
            return files.get(key);
        }

        @Override
        public void delete(String key) throws IOException {
            files.delete(key);
        }

        @Override
        public List<String> list(String prefix) throws IOException {
            return files.list(prefix);
        }

        @Override
        public String describe() {
            return "hanging " + files.describe();
        }
    }

    @Test
    void givenACheckpointNoLongerInFlight_whenATaskAcknowledges_thenTheAcknowledgementIsRefused() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        assertTrue(c.acknowledge(1, 0, new CheckpointCoordinator.Ack("chk-1/t0-1", 1, 0, 0)));

        c.stop("the attempt ended");

        assertFalse(c.acknowledge(1, 1, new CheckpointCoordinator.Ack("chk-1/t1-1", 1, 0, 0)),
                "the writer deletes a refused blob");
    }

    /**
     * A story of checkpoint outcomes ({@code F}: a checkpoint fails, {@code C}: one completes, {@code S}:
     * a savepoint fails) with {@code tolerable} failures tolerated: does the job fail, and after which?
     */
    static Stream<Arguments> failureStories() {
        return Stream.of(
                // tolerable, outcomes, outcomes until the job fails (0: it does not)
                Arguments.of(0, "F", 1),
                Arguments.of(0, "CCF", 3),
                Arguments.of(2, "FF", 0),
                Arguments.of(2, "FFF", 3),
                Arguments.of(2, "FFCFFCFF", 0),  // a completed checkpoint resets the count
                Arguments.of(2, "FFCFFF", 6),
                Arguments.of(1, "FSSSC", 0),     // a failed savepoint fails its caller, not the job
                Arguments.of(1, "FSF", 3));
    }

    @ParameterizedTest(name = "tolerable {0}, {1}: fails after {2}")
    @MethodSource("failureStories")
    void givenTolerableFailures_whenCheckpointsFail_thenTheJobFailsOnlyAfterMoreInARow(
            int tolerable, String outcomes, int failsAfter) throws Exception {
        CheckpointCoordinator c = coordinator(config().withTolerableFailures(tolerable));
        int failedAt = 0;
        for (int i = 0; i < outcomes.length(); i++) {
            long at = i * INTERVAL;
            if (outcomes.charAt(i) == 'S') {
                c.triggerSavepoint("savepoint-" + i);
            }
            c.tick(at);
            long id = lastInjected();
            if (outcomes.charAt(i) == 'C') {
                ackAll(c, id, at + 1);
            } else {
                c.decline(id, "task 0 could not write its snapshot", null);
            }
            if (failedAt == 0 && !driver.jobFailures.isEmpty()) {
                failedAt = i + 1;
            }
        }

        assertEquals(failsAfter, failedAt);
        assertEquals(failsAfter == 0 ? 0 : 1, driver.jobFailures.size());
        assertEquals(outcomes.chars().filter(o -> o != 'C').count(), c.failedCount());
    }

    @Test
    void givenTooManyFailures_thenTheJobFailsWithTheLastCauseAndNoMoreCheckpointsStart() throws Exception {
        CheckpointCoordinator c = coordinator(config().withTolerableFailures(1));
        IOException full = new IOException("No space left on device");
        c.tick(0);
        c.decline(1, "task 2 could not write its snapshot: No space left on device", full);
        c.tick(INTERVAL);

        c.decline(2, "task 2 could not write its snapshot: No space left on device", full);
        c.tick(2 * INTERVAL);

        assertEquals(1, driver.jobFailures.size());
        CheckpointFailuresException failure = driver.jobFailures.get(0);
        assertEquals("2 checkpoints failed in a row (tolerable: 1); the last: checkpoint 2: task 2 could not write "
                + "its snapshot: No space left on device", failure.getMessage());
        assertEquals(full, failure.getCause());
        assertEquals(List.of(1L, 2L), driver.injected, "no checkpoint after the job failed");
    }

    @Test
    void givenAnAbortedSavepoint_whenItsPrefixIsRequestedAgainAtOnce_thenTheCleanupLeavesTheRetryIntact()
            throws Exception {
        CheckpointCoordinator c = coordinator(CheckpointConfig.DISABLED.withTimeout(Duration.ofMillis(TIMEOUT)));
        CompletableFuture<CheckpointCoordinator.Completed> first = c.triggerSavepoint("savepoint-1");
        c.tick(0);
        ack(c, 1, 0);
        io.held = true; // the cleanup of the aborted savepoint waits on a slow store

        c.tick(TIMEOUT + 1);
        CompletableFuture<CheckpointCoordinator.Completed> retry = c.triggerSavepoint("savepoint-1");
        c.tick(TIMEOUT + 2);
        ackAll(c, 2, TIMEOUT + 10);
        io.release();

        assertTrue(first.isCompletedExceptionally());
        assertEquals(2, retry.getNow(null).id());
        LoadedCheckpoint loaded = LoadedCheckpoint.load(store, "savepoint-1");
        assertEquals(2, loaded.metadata().checkpointId());
        assertEquals(List.of("savepoint-1/_metadata", "savepoint-1/t0-2", "savepoint-1/t1-2", "savepoint-1/t2-2"),
                store.list("savepoint-1/"), "the aborted savepoint's blob is gone, the retry's are whole");
    }
}
