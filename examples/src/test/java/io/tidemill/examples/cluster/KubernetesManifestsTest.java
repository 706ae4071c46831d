package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemill.cli.NodeCommand;
import io.tidemill.cluster.NodeConfig;
import io.tidemill.cluster.TidemillNode;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.examples.nexmark.NexmarkJob;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/k8s without a Kubernetes cluster: every manifest validates against the Kubernetes OpenAPI
 * schemas (the Node validator in deploy/k8s/validate, with a strict field check), and what a schema
 * cannot see is checked against real nodes: the probes' paths answer on the node's HTTP server, the
 * ports are the node's, the headless Service is the name the nodes look up, the ConfigMap sets only
 * settings the node reads, and every metric the Grafana dashboard queries is one the nodes expose.
 */
class KubernetesManifestsTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String DASHBOARD = "dashboards/tidemill.json";

    @TempDir
    Path dir;

    // ---- schemas (Node, kubernetes-models) ----

    @Test
    @Timeout(300)
    void everyManifestValidatesAgainstTheKubernetesSchemasOffline() throws Exception {
        Path validator = installedValidator();
        List<String> cmd = new ArrayList<>(List.of("node", "validate.mjs"));
        if (!Files.exists(Manifests.k8s().resolve(DASHBOARD))) {
            // the dashboard is written apart from the manifests; the kustomization still names it
            System.out.println("KubernetesManifestsTest: " + DASHBOARD + " is not there yet: its check is skipped");
            cmd.add("--allow-missing-generated");
        }
        Run run = run(validator, cmd, 120);
        assertEquals(0, run.exit, run.output);
        assertTrue(run.output.contains("StatefulSet tidemill") && run.output.contains("documents valid"), run.output);
    }

    @Test
    @Timeout(300)
    void theValidatorRejectsAMisspeltFieldAndAWrongType() throws Exception {
        Path validator = installedValidator();
        String statefulSet = Files.readString(Manifests.k8s().resolve("statefulset.yaml"));
        Files.writeString(dir.resolve("statefulset.yaml"), statefulSet.replace("readinessProbe:", "readinesProbe:")
                .replace("replicas: 3", "replicas: three"));
        Run run = run(validator, List.of("node", "validate.mjs", dir.toString()), 120);
        assertEquals(1, run.exit, run.output);
        assertTrue(run.output.contains("unknown field /spec/template/spec/containers/0/readinesProbe"), run.output);
        assertTrue(run.output.contains("spec/replicas must be integer"), run.output);
    }

    // ---- what a schema cannot check ----

    @Test
    @Timeout(120)
    void theProbesAndThePrometheusAnnotationsAnswerOnARealNode() throws Exception {
        JsonNode template = Manifests.document("statefulset.yaml", "StatefulSet").path("spec").path("template");
        JsonNode container = Manifests.container(template.path("spec"), "tidemill");
        int httpPort = namedPort(container, "http");
        JsonNode annotations = template.path("metadata").path("annotations");
        assertEquals("true", annotations.path("prometheus.io/scrape").asText());
        assertEquals(String.valueOf(httpPort), annotations.path("prometheus.io/port").asText());

        try (ClusterKit kit = ClusterKit.start(1, 1)) {
            TidemillNode node = kit.nodes.get(0);
            for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
                JsonNode get = container.path(probe).path("httpGet");
                assertFalse(get.isMissingNode(), probe + " is an HTTP GET");
                JsonNode port = get.path("port");
                assertEquals(httpPort, port.isInt() ? port.asInt() : namedPort(container, port.asText()),
                        probe + " asks the REST port");
                HttpResponse<String> r = httpGet(node.httpPort(), get.path("path").asText());
                assertEquals(200, r.statusCode(), probe + " " + get.path("path").asText() + ": " + r.body());
            }
            HttpResponse<String> metrics = httpGet(node.httpPort(), annotations.path("prometheus.io/path").asText());
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("# TYPE tidemill_cluster_members"), metrics.body());
        }
    }

    @Test
    @Timeout(30)
    void theContainerPortsAreTheNodesDefaultsAndTheServicesReachThem() {
        JsonNode statefulSet = Manifests.document("statefulset.yaml", "StatefulSet");
        JsonNode pod = statefulSet.path("spec").path("template");
        JsonNode container = Manifests.container(pod.path("spec"), "tidemill");
        Map<String, String> config = configMap();
        NodeConfig defaults = NodeConfig.defaults();
        Map<String, Integer> expected = Map.of("hazelcast", defaults.hazelcastPort(), "data", defaults.dataPort(),
                "http", defaults.httpPort());
        Map<String, String> settings = Map.of("hazelcast", "TIDEMILL_HAZELCAST_PORT", "data", "TIDEMILL_DATA_PORT",
                "http", "TIDEMILL_HTTP_PORT");
        for (var e : expected.entrySet()) {
            assertEquals(e.getValue(), namedPort(container, e.getKey()), "container port " + e.getKey());
            assertEquals(String.valueOf(e.getValue()), config.get(settings.get(e.getKey())), settings.get(e.getKey()));
        }
        for (String file : List.of("service.yaml", "service-headless.yaml")) {
            JsonNode service = Manifests.document(file, "Service");
            assertSelects(service.path("spec").path("selector"), pod, file);
            for (JsonNode p : service.path("spec").path("ports")) {
                int target = namedPort(container, p.path("targetPort").asText());
                assertEquals(target, p.path("port").asInt(), file + ": port " + p.path("name").asText());
            }
        }
        JsonNode pdb = Manifests.document("poddisruptionbudget.yaml", "PodDisruptionBudget");
        assertSelects(pdb.path("spec").path("selector").path("matchLabels"), pod, "the PodDisruptionBudget");
        assertSelects(statefulSet.path("spec").path("selector").path("matchLabels"), pod, "the StatefulSet");
    }

    @Test
    @Timeout(30)
    void theHeadlessServiceIsTheNameTheNodesLookUp() {
        JsonNode headless = Manifests.document("service-headless.yaml", "Service");
        String name = headless.path("metadata").path("name").asText();
        String lookedUp = configMap().get("TIDEMILL_KUBERNETES_SERVICE");
        assertEquals(name, lookedUp.split("\\.")[0], "the service part of TIDEMILL_KUBERNETES_SERVICE");
        assertEquals("None", headless.path("spec").path("clusterIP").asText());
        assertTrue(headless.path("spec").path("publishNotReadyAddresses").asBoolean(),
                "members must find each other before they are ready");
        JsonNode spec = Manifests.document("statefulset.yaml", "StatefulSet").path("spec");
        assertEquals(name, spec.path("serviceName").asText());
        // a node is ready only with a quorum: pods started one after another would wait for the first
        assertEquals("Parallel", spec.path("podManagementPolicy").asText());
    }

    @Test
    @Timeout(30)
    void theConfigMapSetsOnlySettingsTheNodeReadsAndKeepsAQuorum() throws IOException {
        Map<String, String> config = configMap();
        String usage = new NodeCommand().usage();
        String launcher = Files.readString(Manifests.repository().resolve("bin/tidemill"));
        for (String key : config.keySet()) {
            assertTrue(usage.contains(key + " ") || launcher.contains(key),
                    key + " is neither a `tidemill node` setting nor read by bin/tidemill");
        }
        JsonNode spec = Manifests.document("statefulset.yaml", "StatefulSet").path("spec");
        for (JsonNode env : Manifests.container(spec.path("template").path("spec"), "tidemill").path("env")) {
            String key = env.path("name").asText();
            assertTrue(usage.contains(key), key + " is not a `tidemill node` setting");
        }
        int replicas = spec.path("replicas").asInt();
        int quorum = Integer.parseInt(config.get("TIDEMILL_QUORUM"));
        assertEquals(replicas / 2 + 1, quorum, "TIDEMILL_QUORUM is a majority of the replicas");
        JsonNode pdb = Manifests.document("poddisruptionbudget.yaml", "PodDisruptionBudget");
        assertEquals(quorum, pdb.path("spec").path("minAvailable").asInt(), "the disruption budget keeps a quorum");
        long grace = spec.path("template").path("spec").path("terminationGracePeriodSeconds").asLong();
        assertTrue(grace >= TidemillNode.longestLeave().toSeconds(),
                "terminationGracePeriodSeconds " + grace + " covers a leave of " + TidemillNode.longestLeave());
    }

    @Test
    @Timeout(180)
    void everyMetricTheDashboardQueriesIsOneTheNodesExpose() throws Exception {
        Path dashboard = Manifests.k8s().resolve(DASHBOARD);
        assumeTrue(Files.exists(dashboard), DASHBOARD + " is not there yet (it is written apart from the manifests)");
        Set<String> queried = new TreeSet<>();
        collectMetricNames(Rest.JSON.readTree(dashboard.toFile()), queried);
        assertFalse(queried.isEmpty(), "the dashboard queries no tidemill metric");

        Set<String> exposed = new TreeSet<>();
        Path out = dir.resolve("out");
        // two nodes: the data connections' series exist only between nodes
        try (ClusterKit kit = ClusterKit.start(2, 1)) {
            TidemillNode master = kit.master();
            String job = master.submit(new SubmitRequest(NexmarkJob.class.getName(), List.of("--query", "q5",
                    "--events", "100000000", "--rate", "20000", "--output", out.toString(), "--exactly-once"), 2,
                    null, 200, "exactly-once", 0, 100L, null));
            await().atMost(Duration.ofSeconds(90)).until(() -> master.checkpoints(job).completed() >= 2);
            // Micrometer's GC pause series appear with the first collection after the nodes started
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                System.gc();
                for (TidemillNode n : kit.nodes) {
                    exposed.addAll(sampleNames(httpGet(n.httpPort(), "/metrics").body()));
                }
                return exposed.contains("jvm_gc_pause_seconds_sum");
            });
            master.cancel(job);
        }
        Set<String> missing = new TreeSet<>(queried);
        missing.removeAll(exposed);
        assertTrue(missing.isEmpty(), "the dashboard queries metrics no node exposes: " + missing);
    }

    @Test
    @Timeout(120)
    void theExampleJobsSubmitCommandStartsNexmarkQ5OnARealNode() throws Exception {
        JsonNode job = Manifests.document("examples/submit-nexmark-q5.yaml", "Job");
        String script = Manifests.container(job.path("spec").path("template").path("spec"), "submit").path("args")
                .path(0).asText().replace("\\\n", " ");
        String submit = script.lines().map(String::strip).filter(l -> l.contains("bin/tidemill submit")).findFirst()
                .orElseThrow(() -> new AssertionError("the Job runs no `tidemill submit`: " + script));
        List<String> args = new ArrayList<>(List.of(submit.split("\\s+")));
        args.remove(0); // the script's path: run the same command line in this JVM
        args.add(1, "--cluster"); // the Job finds the cluster through TIDEMILL_CLUSTER
        int output = args.indexOf("--output");
        args.set(output + 1, dir.resolve("out").toString()); // not the real /tmp
        try (ClusterKit kit = ClusterKit.start(1, 1)) {
            TidemillNode node = kit.nodes.get(0);
            args.add(2, "http://127.0.0.1:" + node.httpPort());
            assertEquals(0, io.tidemill.cli.Tidemill.run(args), "tidemill " + args);
            var jobs = node.jobs();
            assertEquals(1, jobs.size());
            var details = node.job(jobs.get(0).id()).orElseThrow();
            assertEquals(NexmarkJob.class.getName(), details.className());
            assertTrue(details.args().containsAll(List.of("--query", "q5")), details.args()::toString);
            node.cancel(jobs.get(0).id());
        }
    }

    // ---- helpers ----

    /** Metric names in every PromQL expression of a Grafana dashboard (targets and template variables). */
    private static void collectMetricNames(JsonNode node, Set<String> names) {
        Pattern metric = Pattern.compile("\\b((?:tidemill|jvm|process|system)_[a-zA-Z0-9_]*)");
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if ((f.getKey().equals("expr") || f.getKey().equals("query") || f.getKey().equals("definition"))
                        && f.getValue().isTextual()) {
                    Matcher m = metric.matcher(f.getValue().asText());
                    while (m.find()) {
                        names.add(m.group(1));
                    }
                } else {
                    collectMetricNames(f.getValue(), names);
                }
            }
        } else if (node.isArray()) {
            node.forEach(n -> collectMetricNames(n, names));
        }
    }

    /** The names of the samples in a Prometheus text exposition. */
    private static Set<String> sampleNames(String text) {
        Set<String> names = new TreeSet<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static Map<String, String> configMap() {
        Map<String, String> data = new HashMap<>();
        Manifests.document("configmap.yaml", "ConfigMap").path("data").fields()
                .forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
        return data;
    }

    private static int namedPort(JsonNode container, String name) {
        for (JsonNode p : container.path("ports")) {
            if (p.path("name").asText().equals(name)) {
                return p.path("containerPort").asInt();
            }
        }
        throw new AssertionError("the container has no port named " + name);
    }

    private static void assertSelects(JsonNode selector, JsonNode podTemplate, String what) {
        JsonNode labels = podTemplate.path("metadata").path("labels");
        assertFalse(selector.isEmpty(), what + " has a selector");
        selector.fields().forEachRemaining(e -> assertEquals(e.getValue().asText(),
                labels.path(e.getKey()).asText(), what + " selects the pods by " + e.getKey()));
    }

    private static HttpResponse<String> httpGet(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** deploy/k8s/validate with its npm packages, or the test is skipped where Node.js is not installed. */
    private static Path installedValidator() throws Exception {
        Path validator = Manifests.k8s().resolve("validate");
        assumeTrue(installed("node") && installed("npm"),
                "node and npm are not installed: the manifests' schema validation is skipped (.ci/run installs them)");
        if (!Files.isDirectory(validator.resolve("node_modules/kubernetes-models"))) {
            Run npm = run(validator, List.of("npm", "ci", "--no-audit", "--no-fund"), 240);
            assertEquals(0, npm.exit, "npm ci in " + validator + ":\n" + npm.output);
        }
        return validator;
    }

    private static boolean installed(String command) {
        try {
            Process p = new ProcessBuilder(command, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private record Run(int exit, String output) {}

    private static Run run(Path workDir, List<String> cmd, int timeoutSeconds) throws Exception {
        Path log = Files.createTempFile("tidemill-k8s-", ".log");
        try {
            Process p = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError(String.join(" ", cmd) + " took over " + timeoutSeconds + " s:\n"
                        + Files.readString(log));
            }
            return new Run(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
