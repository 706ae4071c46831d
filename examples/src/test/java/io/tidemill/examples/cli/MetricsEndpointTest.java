package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.cli.Tidemill;
import io.tidemill.cluster.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code nexmark --http-port N}: an embedded run serves {@code GET /metrics} while it runs, with the
 * job's, its vertices' and subtasks' series and the JVM's; any other path is a 404.
 */
@Timeout(120)
class MetricsEndpointTest {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void givenAnEmbeddedRunWithAnHttpPort_whenScrapedWhileRunning_thenTheSeriesAreThereWithTheirLabels()
            throws Exception {
        int port = FreePorts.pick();
        // 60,000 events at 10,000 a second: about 6 s of running job to scrape.
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Tidemill.run(List.of("nexmark",
                "--query", "q5", "--generator", "--events", "60000", "--rate", "10000", "--parallelism", "2",
                "--threads", "2", "--http-port", String.valueOf(port))));

        String text = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions()
                .until(() -> get(port, "/metrics").body(), t -> sum(t, "tidemill_task_records_in_total") > 0
                        && t.contains("tidemill_vertex_watermark_lag_seconds{job_name=\"nexmark-q5\""));

        HttpResponse<String> scrape = get(port, "/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
        assertTrue(value(text, "tidemill_records_in_total{job_name=\"nexmark-q5\"}") > 0, text);
        for (String series : List.of("tidemill_task_records_in_total", "tidemill_task_records_out_total",
                "tidemill_task_busy_seconds_total", "tidemill_task_backpressured_seconds_total",
                "tidemill_task_input_queue_fill_ratio", "tidemill_task_late_records_dropped_total",
                "tidemill_task_late_records_side_output_total")) {
            assertTrue(Pattern.compile(Pattern.quote(series + "{job_name=\"nexmark-q5\",subtask=\"1\",vertex=\"")
                    + "[^\"]+\"} ").matcher(text).find(), series + " missing in\n" + text);
        }
        for (String series : List.of("tidemill_late_records_dropped_total{job_name=\"nexmark-q5\"}",
                "tidemill_restarts_total{job_name=\"nexmark-q5\"}",
                "tidemill_checkpoints_completed_total{job_name=\"nexmark-q5\"}", "jvm_memory_used_bytes{",
                "jvm_gc_", "process_cpu_usage", "process_uptime_seconds")) {
            assertTrue(text.contains(series), series + " missing in\n" + text);
        }
        assertTrue(!text.contains("{job="), "a label named job clashes with Prometheus' own:\n" + text);

        HttpResponse<String> missing = get(port, "/nope");
        assertEquals(404, missing.statusCode(), missing.body());
        assertEquals(0, run.get(60, TimeUnit.SECONDS));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static double value(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series + " in\n" + text);
    }

    private static double sum(String text, String metric) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric + "{") + "[^}]*} (\\S+)$").matcher(text);
        double sum = 0;
        while (m.find()) {
            sum += Double.parseDouble(m.group(1));
        }
        return sum;
    }
}
