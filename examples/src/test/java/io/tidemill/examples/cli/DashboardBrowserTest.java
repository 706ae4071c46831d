package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web dashboard of an embedded run ({@code nexmark --http-port}) in a real headless Chromium: the
 * page lists the job, draws the q5 plan's vertices with live rates and the checkpoint history, and its
 * stop button stops the run with a savepoint. Leaves a screenshot at {@code target/dashboard.png}.
 */
class DashboardBrowserTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** What the page shows, read from its DOM. */
    private static final String PAGE = """
            (() => ({
              jobs: [...document.querySelectorAll('#jobs tr.job')].map(r => r.dataset.jobName),
              graph: [...document.querySelectorAll('#graph g.vertex')].map(g => g.dataset.vertex),
              edges: document.querySelectorAll('#graph g.edge').length,
              rates: [...document.querySelectorAll('#vertices td.rate-in[data-rate]')].map(td => Number(td.dataset.rate)),
              checkpoints: document.querySelectorAll('#checkpoints tr.checkpoint').length,
              members: document.querySelectorAll('#members tr.member').length,
              buttons: [...document.querySelectorAll('.actions button:not([hidden])')].map(b => b.dataset.action),
              status: document.getElementById('status').textContent
            }))()""";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    @Timeout(180)
    void givenAnEmbeddedQ5Run_whenItsDashboardIsOpenInChromium_thenItShowsTheJobGraphRatesAndCheckpointsAndStopsIt(
            @TempDir Path dir) throws Exception {
        Path chromium = HeadlessChromium.find();
        assumeTrue(chromium != null, "no chromium on the PATH: the dashboard is not tested in a browser "
                + "(apt-get install chromium, as .ci/run does)");
        // 1,000,000 events at 10,000 a second: far longer than the test, which stops the run itself.
        try (EmbeddedRun run = EmbeddedRun.start(List.of("--query", "q5", "--generator", "--events", "1000000",
                "--rate", "10000", "--parallelism", "2", "--threads", "2", "--state-dir",
                dir.resolve("state").toString(), "--checkpoint-interval", "1s", "--output",
                dir.resolve("out").toString()))) {
            String base = run.base();
            Set<String> vertices = new TreeSet<>();
            for (JsonNode v : get(base + "/jobs/" + run.jobId()).path("vertices")) {
                vertices.add(v.path("name").asText());
            }
            assertTrue(vertices.size() >= 3, "q5 plans a source, a window and a sink at least: " + vertices);

            openAndStop(chromium, base, vertices, dir);
            assertEquals(0, run.exitCode(), "a run stopped with a savepoint ends normally");
            try (Stream<Path> files = Files.walk(dir.resolve("state"))) {
                assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("savepoint-")),
                        "no savepoint in " + dir.resolve("state"));
            }
        }
    }

    /** Opens the dashboard, checks what it shows, saves the screenshot, and presses stop. */
    private void openAndStop(Path chromium, String base, Set<String> vertices, Path dir) throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.open(chromium, base + "/", dir.resolve("chromium-profile"),
                Path.of("target", "dashboard-chromium.log"))) {
            // Given the page polls every second, when a few polls went by, then it shows everything
            JsonNode page = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .ignoreException(IllegalStateException.class) // the page is still loading
                    .until(() -> browser.evaluate(PAGE), p -> p.path("graph").size() == vertices.size()
                            && positive(p.path("rates")) >= 2 && p.path("checkpoints").asInt() > 0);
            assertEquals(List.of("nexmark-q5"), texts(page.path("jobs")), page.toString());
            assertEquals(vertices, new TreeSet<>(texts(page.path("graph"))), page.toString());
            assertTrue(page.path("edges").asInt() >= vertices.size() - 1, page.toString());
            assertEquals(1, page.path("members").asInt(), page.toString());
            assertEquals(List.of("savepoint", "stop", "cancel"), texts(page.path("buttons")), page.toString());
            assertTrue(page.path("status").asText().startsWith("updated"), page.toString());
            String dom = browser.evaluate("document.documentElement.outerHTML").asText();
            for (String v : vertices) {
                assertTrue(dom.contains(v.replace(">", "&gt;")), v + " not in the page:\n" + dom);
            }
            Files.write(Path.of("target", "dashboard.png"), browser.screenshot());

            // When the stop button is pressed (and confirmed), then the run stops with a savepoint
            browser.evaluate("window.confirm = () => true; "
                    + "document.querySelector('.actions button[data-action=stop]').click(); true");
            // (the run ends once the savepoint is written, and its server with it: the page may not see that)
            String result = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> browser.evaluate("document.getElementById('action-result').textContent").asText(),
                            t -> t.startsWith("stop: in progress") || t.startsWith("stop: savepoint at")
                                    || t.contains("failed"));
            assertTrue(result.startsWith("stop: in progress") || result.startsWith("stop: savepoint at"), result);
        }
    }

    private JsonNode get(String url) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), url + ": " + r.body());
        return JSON.readTree(r.body());
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** How many of {@code numbers} are above zero. */
    private static int positive(JsonNode numbers) {
        int n = 0;
        for (JsonNode x : numbers) {
            n += x.asDouble() > 0 ? 1 : 0;
        }
        return n;
    }
}
