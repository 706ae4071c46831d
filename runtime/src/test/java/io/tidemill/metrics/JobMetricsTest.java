package io.tidemill.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.JobHandle;
import io.tidemill.local.LocalCluster;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class JobMetricsTest {
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
}
