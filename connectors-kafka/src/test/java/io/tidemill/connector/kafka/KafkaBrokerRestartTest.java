package io.tidemill.connector.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Pipeline;
import io.tidemill.api.source.RateLimitedSource;
import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import io.tidemill.watermark.WatermarkStrategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker goes away and comes back while an exactly-once job reads from and writes to it: the
 * job rides it out (or restarts from its last checkpoint), finishes, and the output topic holds every
 * input record exactly once for a {@code read_committed} reader.
 */
class KafkaBrokerRestartTest {
    private static final int RECORDS = 20_000;

    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void givenTheBrokerRestartsWhileAJobRuns_thenTheJobRecoversAndTheOutputHasEveryRecordOnce() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            broker.createTopic("in", 2);
            broker.createTopic("out", 2);
            for (int partition = 0; partition < 2; partition++) {
                List<String> values = new ArrayList<>();
                for (int i = partition; i < RECORDS; i += 2) {
                    values.add(String.valueOf(i));
                }
                broker.write("in", partition, values, Collections.nCopies(values.size(), 1000L));
            }
            KafkaSource<Long> source = KafkaSource.builder(broker.bootstrap(), "in",
                    () -> (buf, off, len) -> Long.parseLong(new String(buf, off, len, StandardCharsets.UTF_8)))
                    .bounded().build();
            Pipeline p = Pipeline.create().setName("restart").setParallelism(2);
            p.fromSource(new RateLimitedSource<>(source, 4000), WatermarkStrategy.<Long>noWatermarks(), "in")
                    .sinkTo(KafkaSink.<Long>builder(broker.bootstrap(), "out").exactlyOnce("broker-restart").build(),
                            "out");
            JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(200)),
                    new FileSnapshotStore(dir.resolve("state")))
                    .withRestart(RestartStrategy.exponentialBackoff(20, Duration.ofMillis(200), Duration.ofSeconds(2)));
            int restarts;
            try (LocalCluster cluster = LocalCluster.start(2)) {
                JobHandle job = cluster.submit(p, options);
                await().atMost(Duration.ofSeconds(30)).until(() -> job.completedCheckpoints().size() >= 2
                        && job.recordsIn() > RECORDS / 5);
                broker.restart();
                // the job either rides the restart out or fails and restarts from its latest checkpoint
                job.result().get(90, TimeUnit.SECONDS);
                restarts = job.restarts();
            }
            List<Long> out = new ArrayList<>();
            broker.readCommitted("out").forEach(v -> out.add(Long.parseLong(v)));
            out.sort(null);
            List<Long> expected = new ArrayList<>();
            for (long i = 0; i < RECORDS; i++) {
                expected.add(i);
            }
            assertEquals(expected.size(), out.size(), "records in the output topic, after " + restarts + " restarts");
            assertEquals(expected, out);
        }
    }
}
