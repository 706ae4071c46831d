package io.tidemill.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.checkpoint.CheckpointConfig;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.testing.ControlledStore;
import io.tidemill.watermark.WatermarkStrategy;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class JobMetricsTest {
    @TempDir
    Path dir;

    @Test
    void givenAFinishedJob_whenScraped_thenTheCountersAreInThePrometheusText() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pipeline p = Pipeline.create().setName("metrics-job").setParallelism(2);
        p.fromCollection(IntStream.range(0, 1000).boxed().toList()).map(i -> i * 2).sinkTo(new CollectSink<>());

        JobHandle job;
        try (LocalCluster cluster = LocalCluster.start(2)) {
            job = cluster.submit(p);
            JobMetrics.bind(job, registry, () -> 6);
            job.join();
        }
        String text = registry.scrape();
        assertTrue(job.result().isDone());

        for (String line : List.of("tidemill_records_in_total{job=\"metrics-job\"} 1000.0",
                "tidemill_dead_letters_total{job=\"metrics-job\"} 6.0",
                "tidemill_late_records_dropped_total{job=\"metrics-job\"} 0.0",
                "tidemill_restarts_total{job=\"metrics-job\"} 0.0")) {
            assertTrue(text.contains(line), "missing '" + line + "' in\n" + text);
        }
    }

    @Test
    void givenAJobWhoseCheckpointsFailed_whenScraped_thenTheFailuresAreCounted() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        ControlledStore store = new ControlledStore(new FileSnapshotStore(dir))
                .failWhere(op -> op.startsWith("put "), new IOException("No space left on device"));
        Pipeline p = Pipeline.create().setName("failing-checkpoints").setParallelism(1);
        p.fromSource(GeneratorSource.unbounded(2_000, i -> i), WatermarkStrategy.noWatermarks(), "numbers")
                .sinkTo(new CollectSink<>());

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p, JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(20))
                    .withTolerableFailures(2), store));
            JobMetrics.bind(job, registry, null);
            job.result().handle((r, t) -> null).get(20, TimeUnit.SECONDS);

            String text = registry.scrape();
            assertTrue(text.contains("tidemill_checkpoints_failed_total{job=\"failing-checkpoints\"} 3.0"), text);
            assertTrue(text.contains("tidemill_checkpoints_completed_total{job=\"failing-checkpoints\"} 0.0"), text);
        }
    }
}
