package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.cluster.FreePorts;
import io.tidemill.connector.nexmark.NexmarkFileWriter;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboard {@code deploy/k8s/dashboards/tidemill.json} cannot drift from the metrics the
 * code exposes: a real Prometheus server scrapes a running {@code nexmark} job (checkpointed, reading
 * a file, so checkpoint and dead-letter series exist) every second, and every query of every panel
 * must return data through Prometheus' HTTP API. A second check keeps the JSON importable as is: the
 * datasource is the dashboard's variable everywhere, never a fixed uid, and every panel has a title.
 */
@Timeout(120)
class GrafanaDashboardTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The job name the {@code nexmark --query q5} command gives its job (no regex metacharacters). */
    private static final String JOB_NAME = "nexmark-q5";

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private Process prometheus;

    @AfterEach
    void stopPrometheus() throws InterruptedException {
        if (prometheus != null && prometheus.isAlive()) {
            ProcessHandle.of(prometheus.pid()).ifPresent(ProcessHandle::destroy); // exactly the one we started
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                ProcessHandle.of(prometheus.pid()).ifPresent(ProcessHandle::destroyForcibly);
                prometheus.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void givenARunningJobScrapedByPrometheus_whenEveryPanelQueryIsEvaluated_thenEachReturnsData() throws Exception {
        Path binary = onPath("prometheus");
        Assumptions.assumeTrue(binary != null, "no prometheus binary on the PATH: the dashboard's queries are not "
                + "checked (.ci/run installs Debian's prometheus package)");
        List<PanelQuery> queries = panelQueries(dashboard());
        Path events = dir.resolve("events.jsonl");
        // 300,000 events at 15,000 a second: about 20 s of running job, longer than the queries need.
        NexmarkFileWriter.generate(300_000, 100, 7, events);
        int metricsPort = FreePorts.pick();
        Path runLog = dir.resolve("run.log");
        Path prometheusLog = dir.resolve("prometheus.log");
        try (TidemillProcess run = TidemillProcess.start(List.of("nexmark", "--query", "q5", "--input",
                events.toString(), "--output", dir.resolve("out").toString(), "--state-dir",
                dir.resolve("state").toString(), "--checkpoint-interval", "300ms", "--parallelism", "2",
                "--threads", "2", "--rate", "15000", "--http-port", String.valueOf(metricsPort)), runLog)) {
            int prometheusPort = FreePorts.pick();
            startPrometheus(binary, metricsPort, prometheusPort, prometheusLog);
            try {
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                        .until(() -> get("http://127.0.0.1:" + prometheusPort + "/-/ready").statusCode() == 200);
                assertTrue(run.process().isAlive(), "the nexmark run ended early:\n" + Files.readString(runLog));

                List<PanelQuery> pending = new ArrayList<>(queries);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                    for (PanelQuery q : List.copyOf(pending)) {
                        if (!evaluate(prometheusPort, q).isEmpty()) {
                            pending.remove(q);
                        }
                    }
                    assertTrue(pending.isEmpty(), "panel queries without data yet (job " + JOB_NAME + "):\n"
                            + String.join("\n", pending.stream().map(PanelQuery::toString).toList()));
                });
                assertTrue(run.process().isAlive(), "the job ended while the queries ran: series of an ended job "
                        + "go, so the run must outlast them");
            } catch (AssertionError | RuntimeException e) {
                System.err.println("---- prometheus log ----\n" + Files.readString(prometheusLog)
                        + "\n---- nexmark log ----\n" + Files.readString(runLog));
                throw e;
            }
        }
    }

    @Test
    void givenTheDashboardJson_thenItsDatasourceIsTheVariableAndEveryPanelHasATitleAndQueries() throws IOException {
        JsonNode dashboard = dashboard();

        JsonNode variables = dashboard.path("templating").path("list");
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        variables.forEach(v -> byName.put(v.path("name").asText(), v));
        assertEquals("datasource", byName.get("datasource").path("type").asText(), "a datasource variable");
        assertEquals("prometheus", byName.get("datasource").path("query").asText(), "of Prometheus data sources");
        assertTrue(byName.containsKey("job_name"), "a job_name variable, have " + byName.keySet());
        assertFalse(dashboard.has("__inputs"), "no import inputs: the variable picks the data source");

        List<String> references = new ArrayList<>();
        collectDatasources(dashboard, "", references);
        assertFalse(references.isEmpty());
        for (String r : references) {
            assertTrue(r.endsWith("=${datasource}") || r.endsWith("=$datasource") || r.endsWith("=-- Grafana --"),
                    "a datasource reference is not the variable (a fixed uid does not import elsewhere): " + r);
        }

        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : allPanels(dashboard)) {
            String title = panel.path("title").asText("");
            assertFalse(title.isBlank(), "a panel without a title: " + panel);
            assertTrue(ids.add(panel.path("id").asInt()), "panel id used twice: " + title);
            assertTrue(panel.has("gridPos"), "panel '" + title + "' has no gridPos");
            if (!panel.path("type").asText().equals("row")) {
                assertTrue(panel.path("targets").size() > 0, "panel '" + title + "' has no query");
                assertEquals("${datasource}", panel.path("datasource").path("uid").asText(), title);
                for (JsonNode t : panel.path("targets")) {
                    assertFalse(t.path("expr").asText("").isBlank(), "panel '" + title + "' has an empty query");
                }
            }
        }
    }

    /** A query of a panel, with the dashboard's variables replaced as Grafana would. */
    private record PanelQuery(String panel, String refId, String expr) {
        @Override
        public String toString() {
            return "panel '" + panel + "' query " + refId + ": " + expr;
        }
    }

    /** The result vector of an instant query; fails at once (no retry) if Prometheus rejects the query. */
    private JsonNode evaluate(int port, PanelQuery q) throws Exception {
        HttpResponse<String> r = get("http://127.0.0.1:" + port + "/api/v1/query?query="
                + URLEncoder.encode(q.expr(), StandardCharsets.UTF_8));
        JsonNode body = JSON.readTree(r.body());
        if (r.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
            // not an AssertionError: Awaitility would retry that; a query Prometheus cannot parse stays wrong
            throw new IllegalStateException("Prometheus rejected " + q + ": " + r.statusCode() + " " + r.body());
        }
        return body.path("data").path("result");
    }

    private void startPrometheus(Path binary, int metricsPort, int port, Path log) throws IOException {
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                  evaluation_interval: 1s
                scrape_configs:
                  - job_name: tidemill
                    metrics_path: /metrics
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(metricsPort));
        prometheus = new ProcessBuilder(binary.toString(), "--config.file=" + config,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Every target of every panel, the variables replaced: {@code $job_name} by this job's name,
     * {@code $instance} by all ({@code .*}, as the variable's "All" does), {@code $__rate_interval}
     * by 5 s (Grafana's: four scrape intervals, at least).
     */
    private static List<PanelQuery> panelQueries(JsonNode dashboard) {
        Map<String, String> values = Map.of("job_name", JOB_NAME, "instance", ".*",
                "__rate_interval", "5s");
        Pattern variable = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)");
        List<PanelQuery> queries = new ArrayList<>();
        for (JsonNode panel : allPanels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = target.path("expr").asText();
                Matcher m = variable.matcher(expr);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    String name = m.group(1) != null ? m.group(1) : m.group(2);
                    String value = values.get(name);
                    assertTrue(value != null, "panel '" + panel.path("title").asText() + "' uses variable $" + name
                            + ", which the dashboard does not define: " + expr);
                    m.appendReplacement(out, Matcher.quoteReplacement(value));
                }
                m.appendTail(out);
                queries.add(new PanelQuery(panel.path("title").asText(), target.path("refId").asText(),
                        out.toString()));
            }
        }
        // A query variable's label_values(SELECTOR, LABEL) lists the LABEL of the series SELECTOR picks.
        Pattern labelValues = Pattern.compile("label_values\\((.+),\\s*(\\w+)\\)");
        for (JsonNode v : dashboard.path("templating").path("list")) {
            Matcher lv = labelValues.matcher(v.path("definition").asText());
            if (v.path("type").asText().equals("query") && lv.matches()) {
                queries.add(new PanelQuery("variable " + v.path("name").asText(), "-", "group by (" + lv.group(2)
                        + ") (" + lv.group(1).replace("$job_name", values.get("job_name")) + ")"));
            }
        }
        assertFalse(queries.isEmpty(), "the dashboard has no queries");
        return queries;
    }

    /** The panels, with those nested in collapsed rows. */
    private static List<JsonNode> allPanels(JsonNode dashboard) {
        List<JsonNode> all = new ArrayList<>();
        for (JsonNode p : dashboard.path("panels")) {
            all.add(p);
            p.path("panels").forEach(all::add);
        }
        return all;
    }

    /** Every {@code datasource} field below {@code node}, as {@code path=uid} (or the string it is). */
    private static void collectDatasources(JsonNode node, String path, List<String> out) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                String at = path + "/" + e.getKey();
                if (e.getKey().equals("datasource") && !e.getValue().isNull()) {
                    JsonNode ds = e.getValue();
                    out.add(at + "=" + (ds.isObject() ? ds.path("uid").asText() : ds.asText()));
                } else {
                    collectDatasources(e.getValue(), at, out);
                }
            });
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collectDatasources(node.get(i), path + "/" + i, out);
            }
        }
    }

    private static JsonNode dashboard() throws IOException {
        return JSON.readTree(dashboardFile().toFile());
    }

    /** deploy/k8s/dashboards/tidemill.json of the project, found from the module's directory upwards. */
    private static Path dashboardFile() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path f = d.resolve("deploy/k8s/dashboards/tidemill.json");
            if (Files.isRegularFile(f)) {
                return f;
            }
        }
        throw new AssertionError("no deploy/k8s/dashboards/tidemill.json above " + Path.of("").toAbsolutePath());
    }

    private static Path onPath(String name) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (!d.isEmpty() && Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
