package io.tidemill.operator;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.TransactionalSinkWriter;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.TaskSnapshot;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A sink operator whose writer runs on a thread of its own (a source's dead letters to Kafka): the
 * task's calls never wait for the writer, the snapshot's asynchronous part waits for the pre-commit,
 * the end of input is awaited by asking, and the writer's failure reaches the task.
 */
@Timeout(30)
class SinkOperatorOnWriterThreadTest {
    private static final String THREAD = "test-dead-letters-0";

    /** A two-phase-commit writer whose pre-commit, finish and writes wait for {@link #gate} when told to. */
    private static final class GatedWriter implements TransactionalSinkWriter<String, String> {
        final CountDownLatch gate = new CountDownLatch(1);
        volatile boolean gated;
        final List<String> written = new CopyOnWriteArrayList<>();
        final List<String> committed = new CopyOnWriteArrayList<>();
        final List<String> recovered = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile boolean finished;

        private void pass() throws InterruptedException {
            threads.add(Thread.currentThread().getName());
            if (gated) {
                gate.await();
            }
        }

        @Override
        public void write(String value, long timestamp) throws Exception {
            pass();
            if (value.equals("bad")) {
                throw new IllegalStateException("cannot write " + value);
            }
            written.add(value);
        }

        @Override
        public String preCommit(long checkpointId) throws Exception {
            pass();
            return "tx" + checkpointId + written;
        }

        @Override
        public void commit(List<String> transactions) throws Exception {
            pass();
            committed.addAll(transactions);
        }

        @Override
        public void recover(long restoredCheckpointId, List<String> transactions, int subtask, int parallelism) {
            recovered.addAll(transactions);
        }

        @Override
        public void finish() throws Exception {
            pass();
            finished = true;
        }
    }

    private static SinkOperator<String> opened(GatedWriter writer, boolean ownThread) throws Exception {
        Sink<String> sink = (subtask, parallelism) -> writer;
        SinkOperator<String> op = ownThread ? SinkOperator.onWriterThread(sink, THREAD) : new SinkOperator<>(sink);
        op.open(new SubtaskContext("dead letters", 0, 1, null, () -> 0L, () -> {}), null);
        return op;
    }

    @Test
    void givenAPreCommitThatWaits_whenTheBarrierComes_thenTheTaskGoesOnAndTheSnapshotIsWrittenAfterIt()
            throws Exception {
        GatedWriter writer = new GatedWriter();
        SinkOperator<String> op = opened(writer, true);
        op.processElement("a", 0);
        op.processElement("b", 0);
        writer.gated = true;

        OperatorSnapshot snapshot = new OperatorSnapshot(1);
        op.snapshotState(snapshot); // returns with the pre-commit still waiting
        CompletableFuture<byte[]> blob = CompletableFuture.supplyAsync(() -> {
            try {
                return TaskSnapshot.encode(Map.of("dl", snapshot));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !blob.isDone());
        writer.gate.countDown();

        OperatorSnapshot.Decoded decoded = TaskSnapshot.decode(blob.get()).get("dl");
        GatedWriter restored = new GatedWriter();
        opened(restored, false).restoreState(OperatorSnapshot.restored(1, List.of(decoded)));
        assertEquals(List.of("tx1[a, b]"), restored.recovered);
        assertTrue(writer.threads.stream().allMatch(THREAD::equals), writer.threads.toString());
        op.close();
    }

    @Test
    void givenACompletedCheckpointAndTheEnd_thenCommitsAndFinishRunOnTheWriterThread_andTheEndIsAsked()
            throws Exception {
        GatedWriter writer = new GatedWriter();
        SinkOperator<String> op = opened(writer, true);
        op.processElement("a", 0);
        op.snapshotState(new OperatorSnapshot(1));
        op.notifyCheckpointComplete(1);
        await().until(op::commitsDone);
        assertEquals(List.of("tx1[a]"), writer.committed);

        writer.gated = true;
        op.processElement("b", 0);
        op.snapshotState(new OperatorSnapshot(2)); // not completed: committed with the end of input
        op.endInput();
        assertFalse(op.endInputDone());
        writer.gate.countDown();
        await().until(op::endInputDone);
        assertEquals(List.of("tx1[a]", "tx2[a, b]"), writer.committed);
        assertTrue(writer.finished);
        assertTrue(writer.threads.stream().allMatch(THREAD::equals), writer.threads.toString());
        op.close();
    }

    @Test
    void givenAWriteThatFails_thenTheTasksNextCallThrowsIt() throws Exception {
        SinkOperator<String> op = opened(new GatedWriter(), true);
        op.processElement("bad", 0);
        await().untilAsserted(() -> {
            Exception e = assertThrows(IllegalStateException.class, () -> op.hasRoomFor(1));
            assertEquals("cannot write bad", e.getMessage());
        });
        assertThrows(IllegalStateException.class, () -> op.processElement("c", 0));
        op.close();
    }

    @Test
    void givenTooManyRecordsWaiting_thenThereIsNoRoomUntilTheWriterCatchesUp() throws Exception {
        GatedWriter writer = new GatedWriter();
        writer.gated = true;
        SinkOperator<String> op = opened(writer, true);
        for (int i = 0; i < SinkOperator.MAX_QUEUED; i++) {
            op.processElement(String.valueOf(i), 0);
        }
        assertFalse(op.hasRoomFor(64));
        writer.gate.countDown();
        await().until(() -> op.hasRoomFor(64));
        await().until(() -> writer.written.size() == SinkOperator.MAX_QUEUED);
        op.close();
    }
}
