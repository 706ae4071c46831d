package io.tidemill.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemill.api.DataStream;
import io.tidemill.api.OutputTag;
import io.tidemill.api.Pipeline;
import io.tidemill.api.Aggregates;
import io.tidemill.window.TumblingWindows;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

        for (String line : List.of("tidemill_records_in_total{job_name=\"metrics-job\"} 1000.0",
                "tidemill_dead_letters_total{job_name=\"metrics-job\"} 6.0",
                "tidemill_late_records_dropped_total{job_name=\"metrics-job\"} 0.0",
                "tidemill_restarts_total{job_name=\"metrics-job\"} 0.0")) {
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
            assertTrue(text.contains("tidemill_checkpoints_failed_total{job_name=\"failing-checkpoints\"} 3.0"), text);
            assertTrue(text.contains("tidemill_checkpoints_completed_total{job_name=\"failing-checkpoints\"} 0.0"),
                    text);
        }
    }

    @Test
    void givenWindowsWithLateRecords_whenFinished_thenEachSubtaskCountsItsLateRecordsDroppedAndSentAside() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // Timestamps no window fits in a long are handled as late records.
        List<Long> input = List.of(1L, 2L, 11L, Long.MAX_VALUE, Long.MAX_VALUE - 3, Long.MIN_VALUE + 2);
        Pipeline p = Pipeline.create().setName("late-job").setParallelism(1);
        DataStream<Long> numbers = p.fromCollection(input, WatermarkStrategy.<Long>forBoundedOutOfOrderness(
                Duration.ofMillis(100)).withTimestampAssigner((v, ts) -> v));
        OutputTag<Long> late = new OutputTag<>("late");
        DataStream<Long> aside = numbers.keyBy(v -> 0L).window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .sideOutputLateData(late).aggregate(Aggregates.count()).name("counts aside");
        aside.sinkTo(new CollectSink<>());
        aside.getSideOutput(late).sinkTo(new CollectSink<>());
        numbers.keyBy(v -> 1L).window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .aggregate(Aggregates.count()).name("counts dropping").sinkTo(new CollectSink<>());

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p);
            JobMetrics.bind(job, registry, null);
            job.join();
            String text = registry.scrape();

            assertEquals(3.0, sum(text, "tidemill_task_late_records_side_output_total", "late-job"), text);
            assertEquals(3.0, sum(text, "tidemill_task_late_records_dropped_total", "late-job"), text);
            assertEquals(3.0, value(text, "tidemill_late_records_dropped_total{job_name=\"late-job\"}"), text);
            assertTrue(Pattern.compile("tidemill_task_late_records_side_output_total\\{job_name=\"late-job\","
                    + "subtask=\"0\",vertex=\"[^\"]*counts aside[^\"]*\"} 3.0").matcher(text).find(), text);
            assertEquals(6.0, value(text, "tidemill_records_in_total{job_name=\"late-job\"}"), text);
            assertTrue(sum(text, "tidemill_task_records_out_total", "late-job") >= 6, text);
        }
    }

    @Test
    void givenARunningCheckpointedJob_whenScraped_thenSubtaskVertexAndCheckpointSeriesAreThere_andGoneAfterClose()
            throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pipeline p = Pipeline.create().setName("running-job").setParallelism(2);
        p.fromSource(GeneratorSource.unbounded(20_000, i -> i), WatermarkStrategy.<Long>forMonotonousTimestamps()
                        .withTimestampAssigner((v, ts) -> System.currentTimeMillis()), "numbers")
                .rebalance().map(v -> v + 1).name("plus one").sinkTo(new CollectSink<>());

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p, JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(50)),
                    new FileSnapshotStore(dir)));
            JobMetrics metrics = JobMetrics.bind(job, registry, null);
            await().atMost(Duration.ofSeconds(20)).until(() -> job.completedCheckpoints().size() >= 2
                    && sum(registry.scrape(), "tidemill_task_records_in_total", "running-job") > 0);
            String text = registry.scrape();

            for (String series : List.of("tidemill_task_records_in_total", "tidemill_task_records_out_total",
                    "tidemill_task_busy_seconds_total", "tidemill_task_backpressured_seconds_total",
                    "tidemill_task_input_queue_fill_ratio", "tidemill_task_late_records_dropped_total")) {
                for (String subtask : List.of("0", "1")) {
                    assertTrue(Pattern.compile(Pattern.quote(series + "{job_name=\"running-job\",subtask=\""
                            + subtask + "\",vertex=\"") + "[^\"]+\"} ").matcher(text).find(),
                            series + " of subtask " + subtask + " missing in\n" + text);
                }
            }
            assertTrue(value(text, "tidemill_vertex_watermark_lag_seconds{job_name=\"running-job\","
                    + "vertex=\"plus one -> sink\"}") < 60, text);
            assertTrue(value(text, "tidemill_checkpoint_last_id{job_name=\"running-job\"}") >= 1, text);
            assertTrue(value(text, "tidemill_checkpoint_duration_seconds_count{job_name=\"running-job\"}") >= 2, text);
            assertTrue(text.contains("tidemill_checkpoint_duration_seconds_bucket{job_name=\"running-job\",le="), text);
            assertTrue(text.contains("tidemill_checkpoint_size_bytes_count{job_name=\"running-job\"}"), text);
            assertTrue(text.contains("tidemill_checkpoint_sync_pause_seconds_count{job_name=\"running-job\"}"), text);
            assertTrue(text.contains("tidemill_checkpoint_alignment_seconds_count{job_name=\"running-job\"}"), text);
            assertTrue(text.contains("tidemill_checkpoints_aborted_total{job_name=\"running-job\"}"), text);
            assertTrue(text.contains("tidemill_checkpoint_last_age_seconds{job_name=\"running-job\"}"), text);

            job.cancel();
            job.result().handle((r, t) -> null).get(20, TimeUnit.SECONDS);
            metrics.close();
            assertFalse(registry.scrape().contains("running-job"), registry.scrape());
        }
    }

    @Test
    void givenASlowSink_whenScraped_thenTheSourceSubtasksAreBackpressuredAndTheSinksBusy() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Pipeline p = Pipeline.create().setName("slow-sink").setParallelism(1);
        p.fromSource(GeneratorSource.unbounded(10_000_000, i -> i), WatermarkStrategy.noWatermarks(), "numbers")
                .rebalance().sinkTo(new SlowSink());

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p);
            try (JobMetrics metrics = JobMetrics.bind(job, registry, null)) {
                await().atMost(Duration.ofSeconds(20)).until(() -> value(registry.scrape(),
                        "tidemill_task_backpressured_seconds_total{job_name=\"slow-sink\",subtask=\"0\","
                                + "vertex=\"numbers\"}") > 0.2);
                String text = registry.scrape();
                assertTrue(value(text, "tidemill_task_busy_seconds_total{job_name=\"slow-sink\",subtask=\"0\","
                        + "vertex=\"sink\"}") > 0, text);
                assertTrue(value(text, "tidemill_task_input_queue_fill_ratio{job_name=\"slow-sink\",subtask=\"0\","
                        + "vertex=\"sink\"}") > 0, text);
            } finally {
                job.cancel();
                job.result().handle((r, t) -> null).get(20, TimeUnit.SECONDS);
            }
        }
    }

    /** A sink that takes about 100 µs a record, on a thread of its own. */
    private static final class SlowSink implements io.tidemill.api.sink.Sink<Long> {
        @Override
        public io.tidemill.api.sink.SinkWriter<Long> createWriter(int subtask, int parallelism) {
            return (value, timestamp) -> java.util.concurrent.locks.LockSupport.parkNanos(100_000);
        }

        @Override
        public boolean isBlocking() {
            return true;
        }
    }

    /** The value of one series (its name and labels exactly as scraped). */
    static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in\n" + text);
    }

    /** The sum of a metric over all series of job {@code job}. */
    static double sum(String text, String metric, String job) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric + "{job_name=\"" + job + "\"") + "[^}]*} (\\S+)$")
                .matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
