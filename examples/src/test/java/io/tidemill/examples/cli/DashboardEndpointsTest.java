package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What the web dashboard reads from an embedded run ({@code nexmark --http-port}), over plain HTTP:
 * the page and its files at {@code /}, and the REST endpoints it polls, in the shape it expects;
 * unknown jobs and requests an embedded run cannot serve get a 4xx with a message.
 */
class DashboardEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(120)
    void givenAnEmbeddedRunWithoutStateDir_whenTheDashboardsEndpointsAreRead_thenTheyAnswerWhatThePageExpects()
            throws Exception {
        try (EmbeddedRun run = EmbeddedRun.start(List.of("--query", "q5", "--generator", "--events", "1000000",
                "--rate", "10000", "--parallelism", "2", "--threads", "2"))) {
            String base = run.base();
            String jobId = run.jobId();
            // the page and its two files, self-contained
            HttpResponse<String> page = get(base + "/", 200);
            assertTrue(type(page).startsWith("text/html"), type(page));
            assertTrue(page.body().contains("<script src=\"dashboard.js\""), page.body());
            assertEquals("default-src 'self'; img-src 'self' data:",
                    page.headers().firstValue("Content-Security-Policy").orElse(""));
            assertTrue(type(get(base + "/dashboard.js", 200)).startsWith("text/javascript"));
            assertTrue(type(get(base + "/dashboard.css", 200)).startsWith("text/css"));

            // one local member, one running job
            JsonNode members = json(get(base + "/members", 200)).path("members");
            assertEquals(1, members.size(), members.toString());
            assertEquals(run.port(), members.path(0).path("httpPort").asInt(), members.toString());
            assertTrue(members.path(0).path("master").asBoolean() && members.path(0).path("local").asBoolean());
            assertEquals(1, json(get(base + "/overview", 200)).path("jobsRunning").asInt());
            JsonNode summary = json(get(base + "/jobs", 200)).path("jobs").path(0);
            assertEquals("nexmark-q5", summary.path("name").asText());
            assertEquals("RUNNING", summary.path("status").asText());

            // the job's graph: vertices placed on the local member, edges between them, counters growing
            JsonNode job = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> json(get(base + "/jobs/" + jobId, 200)),
                            j -> j.path("vertices").path(0).path("recordsIn").asLong() > 0
                                    && j.path("vertices").path(0).path("busySeconds").asDouble() > 0);
            assertEquals("nexmark-q5", job.path("name").asText());
            assertEquals(-1, job.path("endTime").asLong(), "a running job has no end time: " + job);
            Set<Integer> indexes = new HashSet<>();
            for (JsonNode v : job.path("vertices")) {
                indexes.add(v.path("index").asInt());
                assertEquals(2, v.path("parallelism").asInt(), v.toString());
                assertEquals(List.of("local", "local"), JSON.convertValue(v.path("placement"), List.class));
                for (String field : List.of("name", "recordsIn", "recordsOut", "watermark", "busySeconds",
                        "backpressuredSeconds")) {
                    assertTrue(v.has(field), field + " missing in " + v);
                }
            }
            assertTrue(job.path("vertices").size() >= 3, job.toString());
            assertTrue(job.path("edges").size() >= job.path("vertices").size() - 1, job.toString());
            for (JsonNode e : job.path("edges")) {
                assertTrue(indexes.contains(e.path("from").asInt()) && indexes.contains(e.path("to").asInt()),
                        e.toString());
                assertTrue(Set.of("forward", "rebalance", "broadcast", "keyed").contains(e.path("partitioning")
                        .asText()), e.toString());
            }
            assertEquals(List.of("cancel"), JSON.convertValue(job.path("actions"), List.class),
                    "without a snapshot store a run takes no savepoints: " + job);
            JsonNode checkpoints = json(get(base + "/jobs/" + jobId + "/checkpoints", 200));
            assertEquals(0, checkpoints.path("completed").asInt(), checkpoints.toString());
            assertEquals(0, checkpoints.path("history").size(), checkpoints.toString());

            // what an embedded run cannot do, and jobs it does not have: 4xx with a message
            assertError(get(base + "/jobs/0123456789abcdef", 404), "no job '0123456789abcdef'");
            assertError(get(base + "/jobs/nope/checkpoints", 404), "no job with id nope");
            assertError(post(base + "/jobs/nope/cancel", 404), "no job with id nope");
            assertError(post(base + "/jobs/" + jobId + "/savepoints", 409), "has no snapshot store");
            assertError(post(base + "/jobs/" + jobId + "/stop", 409), "has no snapshot store");
            assertError(post(base + "/jobs", "{\"className\": \"app.Job\", \"parallelism\": 1}", 405),
                    "an embedded run takes no jobs");
            assertError(get(base + "/dashboard.png", 404), "no such endpoint");

            // cancel, as the page's button does: the run ends
            assertEquals(jobId, json(post(base + "/jobs/" + jobId + "/cancel", 202)).path("jobId").asText());
            assertEquals(1, run.exitCode(), "a cancelled run exits with 1");
        }
    }

    private HttpResponse<String> get(String url, int status) throws Exception {
        return check(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()), status);
    }

    private HttpResponse<String> post(String url, int status) throws Exception {
        return post(url, "", status);
    }

    private HttpResponse<String> post(String url, String body, int status) throws Exception {
        return check(http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString()), status);
    }

    private static HttpResponse<String> check(HttpResponse<String> r, int status) {
        assertEquals(status, r.statusCode(), r.request().method() + " " + r.uri() + ": " + r.body());
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        assertTrue(type(r).startsWith("application/json"), r.uri() + ": " + type(r));
        return JSON.readTree(r.body());
    }

    private static String type(HttpResponse<String> r) {
        return r.headers().firstValue("Content-Type").orElse("");
    }

    private static void assertError(HttpResponse<String> r, String message) throws Exception {
        String error = json(r).path("error").asText();
        assertTrue(error.contains(message), r.uri() + ": '" + error + "' does not say '" + message + "'");
    }
}
