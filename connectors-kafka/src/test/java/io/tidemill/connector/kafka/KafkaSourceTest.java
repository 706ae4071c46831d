package io.tidemill.connector.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Aggregates;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.api.source.RateLimitedSource;
import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.DeadLetters;
import io.tidemill.connector.file.LineDecoder;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.task.TaskStats;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Kafka source against a real broker in this JVM: per-partition watermarks and idleness, a
 * partition added while the job runs, offsets kept across a rescale, dead letters. Values are numbers
 * as text; a record's event time is its Kafka timestamp.
 */
@Timeout(60)
class KafkaSourceTest extends WithKafkaBroker {
    /** Values that are numbers as text. */
    static final Supplier<LineDecoder<Long>> NUMBERS =
            () -> (buf, off, len) -> Long.parseLong(new String(buf, off, len, StandardCharsets.UTF_8));

    @TempDir
    Path dir;

    @Test
    void givenOnePartitionFarBehind_thenItHoldsTheWatermarkBackUntilItCatchesUp() throws Exception {
        broker.createTopic("slow", 2);
        writeAtTimes("slow", 0, LongStream.rangeClosed(1, 25).map(i -> i * 1000).toArray());
        writeAtTimes("slow", 1, 1000, 2000);
        CollectSink<Long> counts = new CollectSink<>();
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(windowCounts("slow", WatermarkStrategy.forMonotonousTimestamps(), counts));
            // (the watermark the windows see is rounded down to their ends, so it is not awaited here)
            await().atMost(Duration.ofSeconds(20)).until(() -> job.recordsIn() == 27);
            // partition 0 is at 25 s, partition 1 at 2 s: no 10 s window may fire
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> counts.size() == 0);
            assertTrue(job.watermark() < 10_000, "watermark " + job.watermark());

            writeAtTimes("slow", 1, 30_000);
            // now the minimum is partition 0's 25 s: [0, 10 s) and [10 s, 20 s) fire
            await().atMost(Duration.ofSeconds(20)).until(() -> counts.values().equals(List.of(11L, 10L)));
            job.cancel();
        }
    }

    @Test
    void givenAnEmptyPartition_whenItIsIdle_thenWindowsFireOnTheOthers() throws Exception {
        broker.createTopic("idle", 2);
        writeAtTimes("idle", 0, LongStream.rangeClosed(1, 25).map(i -> i * 1000).toArray());
        CollectSink<Long> counts = new CollectSink<>();
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(windowCounts("idle",
                    WatermarkStrategy.<Long>forMonotonousTimestamps().withIdleness(Duration.ofMillis(300)), counts));
            await().atMost(Duration.ofSeconds(20)).until(() -> counts.values().equals(List.of(9L, 10L)));
            job.cancel();
        }
    }

    @Test
    void givenASourceBehindItsPartitions_thenItsPendingRecordsShowTheLagUntilItCatchesUp() throws Exception {
        broker.createTopic("lag", 2);
        writeValues("lag", 0, 0, 150);
        writeValues("lag", 1, 1000, 150);
        CollectSink<Long> values = new CollectSink<>();
        Pipeline p = Pipeline.create().setName("lag").setParallelism(1);
        // 100 records/s: the 300 records take 3 s to read, the fetch thread sees the ends at once
        p.fromSource(new RateLimitedSource<>(KafkaSource.builder(broker.bootstrap(), "lag", NUMBERS).build(), 100),
                WatermarkStrategy.<Long>noWatermarks(), "kafka").sinkTo(values, "out");
        try (LocalCluster cluster = LocalCluster.start(1)) {
            JobHandle job = cluster.submit(p);
            TaskStats source = job.taskStats().stream().filter(s -> s.vertex().startsWith("kafka")).findFirst()
                    .orElseThrow();
            await().atMost(Duration.ofSeconds(20)).until(() -> source.pendingRecords() > 100);
            assertTrue(values.size() < 300, "still reading");
            await().atMost(Duration.ofSeconds(20)).until(() -> values.size() == 300 && source.pendingRecords() == 0);
            job.cancel();
        }
    }

    @Test
    void givenAPartitionAddedWhileTheJobRuns_thenItsRecordsAreRead() throws Exception {
        broker.createTopic("grow", 1);
        writeAtTimes("grow", 0, 1000);
        CollectSink<Long> values = new CollectSink<>();
        KafkaSource<Long> source = KafkaSource.builder(broker.bootstrap(), "grow", NUMBERS)
                .discoveryInterval(Duration.ofMillis(200)).build();
        Pipeline p = Pipeline.create().setName("grow").setParallelism(2);
        p.fromSource(source, WatermarkStrategy.<Long>noWatermarks(), "kafka").sinkTo(values, "out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p);
            await().atMost(Duration.ofSeconds(20)).until(() -> values.values().equals(List.of(1000L)));
            broker.admin().createPartitions(Map.of("grow", NewPartitions.increaseTo(3))).all().get();
            writeAtTimes("grow", 1, 2000);
            writeAtTimes("grow", 2, 3000);
            await().atMost(Duration.ofSeconds(20)).until(() -> sorted(values.values()).equals(
                    List.of(1000L, 2000L, 3000L)));
            job.cancel();
        }
    }

    @Test
    void givenASavepointAtParallelism4_whenRestoredAt2_thenEveryPartitionResumesAtItsOffset() throws Exception {
        broker.createTopic("rescale", 4);
        for (int partition = 0; partition < 4; partition++) {
            writeValues("rescale", partition, partition * 100, 5);
        }
        FileSnapshotStore store = new FileSnapshotStore(dir.resolve("state"));
        JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(100)), store);
        CollectSink<Long> first = new CollectSink<>();
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(passThrough("rescale", 4, first), options.withRestoreLatest(false));
            await().atMost(Duration.ofSeconds(20)).until(() -> first.size() == 20);
            job.stopWithSavepoint("savepoint-1").get();
            job.result().get();
        }
        for (int partition = 0; partition < 4; partition++) {
            writeValues("rescale", partition, partition * 100 + 5, 3);
        }
        CollectSink<Long> second = new CollectSink<>();
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(passThrough("rescale", 2, second),
                    options.withRestoreFrom(new JobOptions.SnapshotSource(store, "savepoint-1")));
            List<Long> expected = new ArrayList<>();
            for (int partition = 0; partition < 4; partition++) {
                for (int i = 5; i < 8; i++) {
                    expected.add(partition * 100L + i);
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> second.size() >= 12);
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> second.size() == 12);
            assertEquals(expected, sorted(second.values()));
            // completed checkpoints commit the offsets to the group, for monitoring
            await().atMost(Duration.ofSeconds(20)).until(() -> groupOffsets("rescale-group").equals(
                    Map.of(0, 8L, 1, 8L, 2, 8L, 3, 8L)));
            job.cancel();
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"earliest, '1000,2000,3000,4000,5000'", "timestamp, '3000,4000,5000'", "committed, '4000,5000'",
            "latest, ''"})
    void givenAStartingPoint_thenReadingStartsThere(String start, String expectedBeforeMore) throws Exception {
        String topic = "start-" + start;
        broker.createTopic(topic, 1);
        writeAtTimes(topic, 0, 1000, 2000, 3000, 4000, 5000);
        String group = topic + "-group";
        broker.admin().alterConsumerGroupOffsets(group, Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(3)))
                .all().get();
        StartOffsets from = switch (start) {
            case "earliest" -> StartOffsets.earliest();
            case "timestamp" -> StartOffsets.timestamp(2500);
            case "committed" -> StartOffsets.committed();
            default -> StartOffsets.latest();
        };
        KafkaSource<Long> source = KafkaSource.builder(broker.bootstrap(), topic, NUMBERS).startFrom(from)
                .groupId(group).discoveryInterval(Duration.ZERO).build();
        CollectSink<Long> values = new CollectSink<>();
        Pipeline p = Pipeline.create().setName(topic).setParallelism(1);
        p.fromSource(source, WatermarkStrategy.<Long>noWatermarks(), "kafka").sinkTo(values, "out");
        JobOptions checkpointed = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(100)),
                new FileSnapshotStore(dir.resolve("state")));
        try (LocalCluster cluster = LocalCluster.start(1)) {
            JobHandle job = cluster.submit(p, checkpointed);
            // The starting point is resolved when the job starts; a completed checkpoint says the tasks run.
            // What is written after that is read in every case.
            await().atMost(Duration.ofSeconds(20)).until(() -> !job.completedCheckpoints().isEmpty());
            List<Long> expected = new ArrayList<>();
            for (String v : expectedBeforeMore.split(",")) {
                if (!v.isBlank()) {
                    expected.add(Long.parseLong(v.trim()));
                }
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> values.values().equals(expected));
            writeAtTimes(topic, 0, 6000);
            expected.add(6000L);
            await().atMost(Duration.ofSeconds(20)).until(() -> values.values().equals(expected));
            job.cancel();
        }
    }

    @Test
    void givenMalformedRecords_thenTheyGoToTheDeadLettersWithPartitionOffsetAndReason() throws Exception {
        broker.createTopic("malformed", 2);
        writeText("malformed", 0, "1", "not a number", "3");
        writeText("malformed", 1, "4", "{");
        DeadLetters deadLetters = DeadLetters.toFile(dir.resolve("dead.jsonl"));
        KafkaSource<Long> source = KafkaSource.builder(broker.bootstrap(), "malformed", NUMBERS).bounded()
                .deadLetters(deadLetters).build();
        CollectSink<Long> values = new CollectSink<>();
        Pipeline p = Pipeline.create().setName("malformed").setParallelism(2);
        p.fromSource(source, WatermarkStrategy.<Long>noWatermarks(), "kafka").sinkTo(values, "out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(p);
        }
        assertEquals(List.of(1L, 3L, 4L), sorted(values.values()));
        assertEquals(2, deadLetters.count());
        List<String> letters = sorted(Files.readAllLines(dir.resolve("dead.jsonl")));
        assertEquals(2, letters.size());
        assertTrue(letters.get(0).contains("\"file\":\"malformed-0\"") && letters.get(0).contains("\"line\":1")
                && letters.get(0).contains("not a number") && letters.get(0).contains("For input string"),
                letters.get(0));
        assertTrue(letters.get(1).contains("\"file\":\"malformed-1\"") && letters.get(1).contains("\"line\":1"),
                letters.get(1));
    }

    private Pipeline windowCounts(String topic, WatermarkStrategy<Long> strategy, CollectSink<Long> counts) {
        KafkaSource<Long> source = KafkaSource.builder(broker.bootstrap(), topic, NUMBERS).discoveryInterval(Duration.ZERO)
                .build();
        Pipeline p = Pipeline.create().setName(topic).setParallelism(1);
        p.fromSource(source, strategy, "kafka").windowAll(TumblingWindows.eventTime(Duration.ofSeconds(10)))
                .aggregate(Aggregates.<Long>count()).sinkTo(counts, "counts");
        return p;
    }

    private Pipeline passThrough(String topic, int parallelism, CollectSink<Long> out) {
        KafkaSource<Long> source = KafkaSource.builder(broker.bootstrap(), topic, NUMBERS).groupId(topic + "-group")
                .build();
        Pipeline p = Pipeline.create().setName(topic).setParallelism(parallelism);
        p.fromSource(source, WatermarkStrategy.<Long>noWatermarks(), "kafka").sinkTo(out, "out");
        return p;
    }

    private Map<Integer, Long> groupOffsets(String group) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = broker.admin().listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get();
        Map<Integer, Long> byPartition = new java.util.HashMap<>();
        offsets.forEach((tp, o) -> byPartition.put(tp.partition(), o.offset()));
        return byPartition;
    }

    /** Records whose value and timestamp are both {@code times[i]}. */
    private static void writeAtTimes(String topic, int partition, long... times) {
        List<String> values = new ArrayList<>();
        List<Long> timestamps = new ArrayList<>();
        for (long t : times) {
            values.add(String.valueOf(t));
            timestamps.add(t);
        }
        broker.write(topic, partition, values, timestamps);
    }

    private static void writeValues(String topic, int partition, long first, int n) {
        long[] values = LongStream.range(first, first + n).toArray();
        writeAtTimes(topic, partition, values);
    }

    private static void writeText(String topic, int partition, String... values) {
        broker.write(topic, partition, List.of(values), Collections.nCopies(values.length, 1000L));
    }

    static <T extends Comparable<T>> List<T> sorted(List<T> values) {
        List<T> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }
}
