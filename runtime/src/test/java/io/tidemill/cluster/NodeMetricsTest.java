package io.tidemill.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.StreamJob;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.watermark.WatermarkStrategy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every node of a cluster serves {@code GET /metrics} on its REST port: the subtasks it runs, the
 * cluster's members, its data connections and their credits, and on the master each job's status
 * and checkpoints. A cancelled job's subtask series go; an unknown path is still a 404.
 */
class NodeMetricsTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** Numbers from two source subtasks, rebalanced across the nodes through a map, to a sink that drops them. */
    public static final class EndlessJob implements StreamJob {
        @Override
        public Pipeline build(List<String> args) {
            Sink<Long> sink = new Sink<>() {
                @Override
                public SinkWriter<Long> createWriter(int subtask, int parallelism) {
                    return (value, timestamp) -> { };
                }
            };
            Pipeline p = Pipeline.create().setName("endless");
            p.fromSource(GeneratorSource.unbounded(5_000, i -> i), WatermarkStrategy.<Long>forMonotonousTimestamps()
                            .withTimestampAssigner((v, ts) -> System.currentTimeMillis()), "numbers")
                    .setParallelism(2).rebalance().map(x -> x * 2).name("double").setParallelism(2)
                    .rebalance().sinkTo(sink).setParallelism(2);
            return p;
        }
    }

    @Test
    @Timeout(150)
    void givenAJobAcrossTwoNodes_whenEachNodeIsScraped_thenItsSubtasksConnectionsAndJobsAreThere() throws Exception {
        List<TidemillNode> nodes = TwoNodes.start();
        try {
            TidemillNode master = nodes.stream().filter(TidemillNode::isMaster).findFirst().orElseThrow();
            String id = master.submit(new SubmitRequest(EndlessJob.class.getName(), List.of(), 2, null, 100,
                    "exactly-once", 0, 0L, null));

            String masterText = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> scrape(master), t -> t.contains("tidemill_checkpoint_last_id{job_name=\"endless\"}")
                            && t.contains("tidemill_checkpoint_last_age_seconds{job_name=\"endless\"}")
                            && t.contains("tidemill_job_status{job_name=\"endless\",status=\"RUNNING\"} 1.0"));
            assertTrue(masterText.contains("tidemill_cluster_members 2.0"), masterText);
            assertTrue(masterText.contains("tidemill_node_master 1.0"), masterText);
            assertTrue(masterText.contains("tidemill_jobs{status=\"RUNNING\"} 1.0"), masterText);
            assertTrue(masterText.contains("tidemill_checkpoints_completed_total{job_name=\"endless\"}"), masterText);
            assertTrue(masterText.contains("jvm_memory_used_bytes{"), masterText);
            assertTrue(masterText.contains("tidemill_checkpoint_duration_seconds_bucket{job_name=\"endless\",le="),
                    masterText);
            assertTrue(masterText.contains("tidemill_checkpoint_alignment_seconds_count{job_name=\"endless\"}"),
                    masterText);

            for (TidemillNode n : nodes) {
                String text = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> scrape(n), t -> sum(t, "tidemill_task_records_in_total{job_name=\"endless\"") > 0
                                && sum(t, "tidemill_exchange_sent_bytes_total{") > 0
                                && sum(t, "tidemill_exchange_received_frames_total{") > 0);
                assertTrue(Pattern.compile("tidemill_task_records_out_total\\{job_name=\"endless\",subtask=\"[01]\","
                        + "vertex=\"numbers\"}").matcher(text).find(), text);
                assertTrue(text.contains("tidemill_vertex_watermark_lag_seconds{job_name=\"endless\",vertex=\""), text);
                assertTrue(text.contains("tidemill_task_backpressured_seconds_total{job_name=\"endless\""), text);
                assertTrue(text.contains("tidemill_exchange_credits{direction=\"outbound\",peer=\""), text);
                assertTrue(text.contains("tidemill_exchange_credits{direction=\"inbound\",peer=\""), text);
                assertTrue(text.contains("tidemill_exchange_sent_frames_total{peer=\""), text);
                assertTrue(text.contains("tidemill_exchange_received_bytes_total{peer=\""), text);
                assertTrue(!text.contains("{job="), text);
                HttpResponse<String> missing = get(n, "/metricz");
                assertEquals(404, missing.statusCode(), missing.body());
            }

            master.cancel(id);
            for (TidemillNode n : nodes) {
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> !scrape(n).contains("tidemill_task_records_in_total{job_name=\"endless\""));
            }
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> !scrape(master).contains("job_name=\"endless\""));
        } finally {
            TwoNodes.close(nodes);
        }
    }

    private String scrape(TidemillNode node) throws Exception {
        HttpResponse<String> r = get(node, "/metrics");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), r.headers()::toString);
        return r.body();
    }

    private HttpResponse<String> get(TidemillNode node, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The sum of the series whose line starts with {@code prefix} (a metric and its first labels). */
    private static double sum(String text, String prefix) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(prefix) + "[^}]*} (\\S+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
