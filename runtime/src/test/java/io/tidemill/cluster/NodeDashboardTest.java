package io.tidemill.cluster;

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
 * What the web dashboard reads from a cluster node, asked of the node that is not the master (it
 * forwards): the page at {@code /}, the members, and a running job's graph with its placement over
 * both members, the figures members report, its checkpoint history and its actions.
 */
class NodeDashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(150)
    void givenAJobAcrossTwoNodes_whenTheOtherNodeIsAsked_thenItAnswersTheGraphFiguresAndCheckpoints()
            throws Exception {
        List<TidemillNode> nodes = TwoNodes.start();
        try {
            TidemillNode other = nodes.stream().filter(n -> !n.isMaster()).findFirst().orElseThrow();
            String base = "http://127.0.0.1:" + other.httpPort();
            HttpResponse<String> page = get(base + "/", 200);
            assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
            assertEquals(2, json(get(base + "/members", 200)).path("members").size());

            HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"className\": \"" + NodeMetricsTest.EndlessJob.class.getName() + "\", \"parallelism\": 2, "
                                    + "\"checkpointIntervalMillis\": 100}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, submitted.statusCode(), submitted.body());
            String id = JSON.readTree(submitted.body()).path("jobId").asText();

            // the members report their tasks' figures about once a second: wait for them
            JsonNode job = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                    .until(() -> json(get(base + "/jobs/" + id, 200)), j -> j.path("vertices").size() == 3
                            && j.path("vertices").path(0).path("recordsOut").asLong() > 0
                            && j.path("vertices").path(1).path("recordsIn").asLong() > 0
                            && j.path("vertices").path(0).path("busySeconds").asDouble() > 0);
            assertEquals("RUNNING", job.path("status").asText());
            assertEquals("numbers", job.path("vertices").path(0).path("name").asText());
            assertEquals("double", job.path("vertices").path(1).path("name").asText());
            Set<String> placement = new HashSet<>();
            for (JsonNode v : job.path("vertices")) {
                assertEquals(2, v.path("placement").size(), v.toString());
                v.path("placement").forEach(m -> placement.add(m.asText()));
                assertTrue(v.path("backpressuredSeconds").asDouble() >= 0, v.toString());
            }
            assertEquals(2, placement.size(), "the subtasks are spread over both members: " + placement);
            assertEquals("[{\"from\":0,\"to\":1,\"partitioning\":\"rebalance\",\"sideOutput\":null},"
                    + "{\"from\":1,\"to\":2,\"partitioning\":\"rebalance\",\"sideOutput\":null}]",
                    job.path("edges").toString());
            assertEquals(List.of("savepoint", "stop", "cancel"), JSON.convertValue(job.path("actions"), List.class));

            JsonNode checkpoints = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> json(get(base + "/jobs/" + id + "/checkpoints", 200)),
                            c -> c.path("history").size() > 0);
            JsonNode last = checkpoints.path("history").path(checkpoints.path("history").size() - 1);
            assertTrue(last.path("bytes").asLong() > 0 && last.path("durationMillis").asLong() >= 0, last.toString());

            assertEquals(404, get(base + "/jobs/0123456789abcdef", 404).statusCode());
            assertEquals(404, get(base + "/jobs/0123456789abcdef/checkpoints", 404).statusCode());

            HttpResponse<String> cancel = http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + id + "/cancel"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(202, cancel.statusCode(), cancel.body());
            JsonNode cancelled = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                    .until(() -> json(get(base + "/jobs/" + id, 200)), j -> j.path("status").asText().equals("CANCELLED"));
            assertEquals(0, cancelled.path("actions").size(), cancelled.toString());
        } finally {
            TwoNodes.close(nodes);
        }
    }

    private HttpResponse<String> get(String url, int status) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(status, r.statusCode(), url + ": " + r.body());
        return r;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
