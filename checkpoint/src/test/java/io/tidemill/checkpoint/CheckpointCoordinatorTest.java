package io.tidemill.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.checkpoint.store.FileSnapshotStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The coordinator's state machine, driven with explicit times: a fake driver stands in for the
 * runtime, and the test plays the tasks (writes their blobs, acknowledges).
 */
class CheckpointCoordinatorTest {
    private static final long INTERVAL = 100;
    private static final long TIMEOUT = 1_000;
    private static final List<CheckpointCoordinator.TaskInfo> TASKS = List.of(
            new CheckpointCoordinator.TaskInfo(0, 0, 0, 2, List.of("n0", "n1")),
            new CheckpointCoordinator.TaskInfo(1, 0, 1, 2, List.of("n0", "n1")),
            new CheckpointCoordinator.TaskInfo(2, 1, 0, 1, List.of("n3")));

    @TempDir
    Path dir;

    private FileSnapshotStore store;
    private final FakeDriver driver = new FakeDriver();
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
    }

    private CheckpointCoordinator coordinator(CheckpointConfig config) {
        return new CheckpointCoordinator(config, store, "test-job", 128, TASKS, 1, driver, () -> now);
    }

    private static CheckpointConfig config() {
        return CheckpointConfig.every(Duration.ofMillis(INTERVAL)).withTimeout(Duration.ofMillis(TIMEOUT));
    }

    /** Task {@code task} writes its blob for checkpoint {@code id} and acknowledges, as the runtime does. */
    private void ack(CheckpointCoordinator c, long id, int task) throws Exception {
        String key = c.prefixOf(id) + "/t" + task;
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
                () -> now);
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
        assertEquals(List.of("chk-1/t0", "chk-1/t1", "chk-1/t2"),
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
                Arguments.of("timeout", (BiConsumer<CheckpointCoordinator, Long>) (c, id) -> c.tick(TIMEOUT + 1)),
                Arguments.of("decline", (BiConsumer<CheckpointCoordinator, Long>) (c, id) ->
                        c.decline(id, "task 2 could not write its snapshot")),
                Arguments.of("stop", (BiConsumer<CheckpointCoordinator, Long>) (c, id) ->
                        c.stop("the job is cancelled")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aborts")
    void givenACheckpointInFlight_whenAborted_thenItsBlobsAreDeletedAndTheDriverNotified(
            String how, BiConsumer<CheckpointCoordinator, Long> abort) throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        ack(c, 1, 0);
        ack(c, 1, 1);
        assertEquals(2, store.list("chk-1/").size());

        abort.accept(c, 1L);

        assertNull(c.prefixOf(1), "checkpoint 1 is no longer in flight");
        assertEquals(List.of(1L), driver.aborted);
        assertTrue(driver.completed.isEmpty());
        assertEquals(1, c.abortedCount());
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

        c.decline(7, "stale");

        assertTrue(c.inFlight());
        assertTrue(driver.aborted.isEmpty());
    }

    @Test
    void givenAnAbortedCheckpoint_whenTheIntervalPasses_thenTheNextOneHasANewId() throws Exception {
        CheckpointCoordinator c = coordinator(config());
        c.tick(0);
        c.decline(1, "no");

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
                2, driver, () -> now);
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
}
