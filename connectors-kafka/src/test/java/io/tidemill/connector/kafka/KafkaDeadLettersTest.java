package io.tidemill.connector.kafka;

import static io.tidemill.connector.kafka.KafkaSourceTest.NUMBERS;
import static io.tidemill.connector.kafka.KafkaSourceTest.sorted;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.sink.TransactionalSinkWriter;
import io.tidemill.api.source.DeadLetter;
import io.tidemill.api.source.RateLimitedSource;
import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.DeadLetters;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Kafka source's dead letters written to a Kafka topic, as the CLI writes them for a kafka://
 * input: every call into the producer (send, flush, the transactions) runs on the dead-letter
 * writer's own thread, never on a cooperative worker, and a dead-letter broker that is down holds up
 * neither the source's records nor the other tasks of its worker.
 */
@Timeout(120)
class KafkaDeadLettersTest extends WithKafkaBroker {
    /** How the cooperative workers of a local cluster and of a node are named (CooperativeScheduler). */
    private static final String WORKER = "tidemill-worker-";
    private static final String DEAD_LETTER_THREAD = "tidemill-dead-letters-";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void givenExactlyOnceDeadLettersToATopic_thenNoProducerCallRunsOnACooperativeWorker() throws Exception {
        broker.createTopic("threads-in", 2);
        broker.createTopic("threads-dead", 1);
        Set<String> expectedLetters = new TreeSet<>();
        List<Long> expectedValues = new ArrayList<>();
        for (int partition = 0; partition < 2; partition++) {
            List<String> values = new ArrayList<>();
            for (int i = 0; i < 3000; i++) {
                if (i % 300 == 7) {
                    values.add("bad " + i);
                    expectedLetters.add("threads-in-" + partition + "@" + i);
                } else {
                    values.add(String.valueOf(i));
                    expectedValues.add((long) i);
                }
            }
            broker.write("threads-in", partition, values, Collections.nCopies(values.size(), 1000L));
        }
        ThreadRecordingSink recording = new ThreadRecordingSink(KafkaSink.<DeadLetter>builder(broker.bootstrap(),
                        "threads-dead").exactlyOnce("threads-dead")
                .property(ProducerConfig.INTERCEPTOR_CLASSES_CONFIG, SendThreadRecorder.class.getName()).build());
        DeadLetters deadLetters = DeadLetters.counting(recording);
        KafkaSource<Long> source = KafkaSource.builder(broker.bootstrap(), "threads-in", NUMBERS).bounded()
                .deadLetters(deadLetters).build();
        CollectSink<Long> values = new CollectSink<>();
        Pipeline p = Pipeline.create().setName("dead-letter-threads").setParallelism(2);
        // Rate limited, so that checkpoints pre-commit and commit dead letters while the job runs.
        p.fromSource(new RateLimitedSource<>(source, 1000), WatermarkStrategy.<Long>noWatermarks(), "kafka")
                .sinkTo(values, "out");
        JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(100)),
                new FileSnapshotStore(dir.resolve("state")));

        JobHandle job;
        try (LocalCluster cluster = LocalCluster.start(2)) {
            job = cluster.submit(p, options);
            job.join();
        }

        assertEquals(sorted(expectedValues), sorted(values.values()));
        assertFalse(job.completedCheckpoints().isEmpty(), "no checkpoint completed while the job ran; failed "
                + job.failedCheckpoints() + ", aborted " + job.abortedCheckpoints());
        assertEquals(expectedLetters, letters(broker.readRecords("threads-dead")), "dead letters, read_committed");
        assertEquals(expectedLetters.size(), deadLetters.count());
        // close is handed over and not waited for
        await().atMost(Duration.ofSeconds(20)).until(() -> recording.callsOf("close").size() >= 2);
        for (String call : List.of("write", "preCommit", "commit", "finish", "close")) {
            List<String> threads = recording.callsOf(call);
            assertFalse(threads.isEmpty(), "no " + call + " call recorded");
            assertTrue(threads.stream().allMatch(t -> t.startsWith(DEAD_LETTER_THREAD)), call + " ran on " + threads);
        }
        List<String> sends = SendThreadRecorder.threadsSendingTo("threads-dead");
        assertEquals(expectedLetters.size(), sends.size());
        assertTrue(sends.stream().allMatch(t -> t.startsWith(DEAD_LETTER_THREAD)), "send ran on " + sends);
        assertTrue(recording.all().stream().noneMatch(t -> t.startsWith(WORKER)), "calls on " + recording.all());
    }

    @Test
    void givenTheDeadLetterBrokerDown_thenRecordsAndTheWorkersOtherTasksFlow_andTheLettersArriveWhenItIsBack()
            throws Exception {
        broker.createTopic("down-in", 1);
        broker.createTopic("down-other", 1);
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            input.add(i == 3 || i == 500 || i == 998 ? "oops " + i : String.valueOf(i));
        }
        broker.write("down-in", 0, input, Collections.nCopies(input.size(), 1000L));
        try (KafkaBroker deadLetterBroker = KafkaBroker.start()) {
            deadLetterBroker.createTopic("dead", 1);
            String deadLetterServers = deadLetterBroker.bootstrap();
            deadLetterBroker.stopBroker();
            // At least once, as the CLI writes them without --state-dir.
            KafkaSource<Long> source = KafkaSource.builder(broker.bootstrap(), "down-in", NUMBERS).bounded()
                    .deadLetters(DeadLetters.counting(KafkaSink.<DeadLetter>builder(deadLetterServers, "dead")
                            .build())).build();
            CollectSink<Long> values = new CollectSink<>();
            Pipeline withDeadLetters = Pipeline.create().setName("down").setParallelism(1);
            withDeadLetters.fromSource(source, WatermarkStrategy.<Long>noWatermarks(), "kafka").sinkTo(values, "out");
            CollectSink<Long> others = new CollectSink<>();
            Pipeline other = Pipeline.create().setName("other").setParallelism(1);
            other.fromSource(KafkaSource.builder(broker.bootstrap(), "down-other", NUMBERS).build(),
                    WatermarkStrategy.<Long>noWatermarks(), "other").sinkTo(others, "out");

            // One cooperative worker runs both jobs' tasks.
            try (LocalCluster cluster = LocalCluster.start(1)) {
                JobHandle job = cluster.submit(withDeadLetters);
                JobHandle otherJob = cluster.submit(other);
                // Well within the producer's 60 s wait for metadata, which a send on the worker would block.
                await().atMost(Duration.ofSeconds(20)).until(() -> values.size() == 997);
                broker.write("down-other", 0, List.of("1", "2", "3"), Collections.nCopies(3, 1000L));
                await().atMost(Duration.ofSeconds(20)).until(() -> others.size() == 3);
                assertFalse(job.result().isDone(), "the job ended with its dead letters not written");

                deadLetterBroker.startBroker();
                job.result().get(60, TimeUnit.SECONDS);
                otherJob.cancel();
            }
            assertEquals(Set.of("down-in-0@3", "down-in-0@500", "down-in-0@998"),
                    letters(deadLetterBroker.readRecords("dead")));
        }
    }

    @Test
    void givenTheDeadLetterBrokerUnreachable_thenTheRecordsFlowAndTheJobFailsNamingItsDeadLetters() throws Exception {
        broker.createTopic("unreachable-in", 1);
        List<String> input = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            input.add(i == 2 ? "oops" : String.valueOf(i));
        }
        broker.write("unreachable-in", 0, input, Collections.nCopies(input.size(), 1000L));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        KafkaSource<Long> source = KafkaSource.builder(broker.bootstrap(), "unreachable-in", NUMBERS).bounded()
                .deadLetters(DeadLetters.counting(KafkaSink.<DeadLetter>builder("127.0.0.1:" + closedPort, "dead")
                        .property(ProducerConfig.MAX_BLOCK_MS_CONFIG, "2000").build())).build();
        CollectSink<Long> values = new CollectSink<>();
        Pipeline p = Pipeline.create().setName("unreachable").setParallelism(1);
        p.fromSource(source, WatermarkStrategy.<Long>noWatermarks(), "kafka").sinkTo(values, "out");

        try (LocalCluster cluster = LocalCluster.start(1)) {
            JobHandle job = cluster.submit(p);
            ExecutionException e = assertThrows(ExecutionException.class, () -> job.result().get(60, TimeUnit.SECONDS));
            String message = messages(e);
            assertTrue(message.contains("'kafka (dead letters)'") && message.contains("dead"), message);
            assertTrue(message.contains("org.apache.kafka.common.errors.TimeoutException"), message);
        }
        assertEquals(199, values.size());
    }

    /** {@code partition@offset} of each dead letter, e.g. {@code in-0@7}. */
    private static Set<String> letters(List<ConsumerRecord<byte[], byte[]>> records) throws Exception {
        Set<String> letters = new TreeSet<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode letter = JSON.readTree(r.value());
            letters.add(letter.get("file").asText() + "@" + letter.get("line").asLong());
        }
        return letters;
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }

    /** A Kafka sink whose writers record the thread of every call on them (by call name), then pass it on. */
    private static final class ThreadRecordingSink implements Sink<DeadLetter> {
        private final KafkaSink<DeadLetter> kafka;
        private final ConcurrentLinkedQueue<String[]> calls = new ConcurrentLinkedQueue<>();

        ThreadRecordingSink(KafkaSink<DeadLetter> kafka) {
            this.kafka = kafka;
        }

        List<String> callsOf(String name) {
            List<String> threads = new ArrayList<>();
            calls.forEach(c -> {
                if (c[0].equals(name)) {
                    threads.add(c[1]);
                }
            });
            return threads;
        }

        List<String> all() {
            List<String> threads = new ArrayList<>();
            calls.forEach(c -> threads.add(c[0] + "@" + c[1]));
            return threads;
        }

        private void record(String call) {
            calls.add(new String[] {call, Thread.currentThread().getName()});
        }

        @Override
        public boolean isBlocking() {
            return kafka.isBlocking();
        }

        @Override
        public boolean canWriteAsynchronously() {
            return kafka.canWriteAsynchronously();
        }

        @SuppressWarnings("unchecked")
        @Override
        public SinkWriter<DeadLetter> createWriter(int subtask, int parallelism) throws Exception {
            TransactionalSinkWriter<DeadLetter, Object> w =
                    (TransactionalSinkWriter<DeadLetter, Object>) kafka.createWriter(subtask, parallelism);
            return new TransactionalSinkWriter<DeadLetter, Object>() {
                @Override
                public void write(DeadLetter value, long timestamp) throws Exception {
                    record("write");
                    w.write(value, timestamp);
                }

                @Override
                public Object preCommit(long checkpointId) throws Exception {
                    record("preCommit");
                    return w.preCommit(checkpointId);
                }

                @Override
                public void commit(List<Object> transactions) throws Exception {
                    record("commit");
                    w.commit(transactions);
                }

                @Override
                public void recover(long restoredCheckpointId, List<Object> transactions, int subtask,
                                    int parallelism) throws Exception {
                    record("recover");
                    w.recover(restoredCheckpointId, transactions, subtask, parallelism);
                }

                @Override
                public void finish() throws Exception {
                    record("finish");
                    w.finish();
                }

                @Override
                public void close() throws Exception {
                    record("close");
                    w.close();
                }
            };
        }
    }
}
