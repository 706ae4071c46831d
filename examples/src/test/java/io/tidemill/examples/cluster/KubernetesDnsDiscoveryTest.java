package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.examples.nexmark.NexmarkJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join path the Kubernetes manifests use, without a cluster: two {@code tidemill node} processes
 * configured only through {@code TIDEMILL_*} environment variables, as the StatefulSet's ConfigMap
 * does, with Hazelcast's DNS discovery ({@code service-dns}) on a headless-Service name. The test
 * plays the cluster DNS: a hosts file ({@code jdk.net.hosts.file}) gives that name two loopback
 * addresses, one per node, as a headless Service gives one address per pod; each node binds its own
 * address (the pod IP) on the same Hazelcast port. They find each other by the lookup alone, and a
 * q5 job over both gives the failure-free rows (its records cross between the two addresses).
 */
class KubernetesDnsDiscoveryTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(120)
    void twoNodesFindEachOtherThroughTheHeadlessServiceName() throws Exception {
        String service = "tidemill-hazelcast-" + UUID.randomUUID().toString().substring(0, 8)
                + ".test.svc.cluster.local";
        List<String> podIps = List.of("127.0.0.2", "127.0.0.3");
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, podIps.get(0) + " " + service + "\n" + podIps.get(1) + " " + service + "\n");
        int hazelcastPort = ClusterKit.freePort(); // one port for every pod, as in the StatefulSet
        String cluster = "dns-" + UUID.randomUUID();
        List<NodeProcess> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < podIps.size(); i++) {
                int dataPort = ClusterKit.freePort();
                int httpPort = ClusterKit.freePort();
                Map<String, String> env = Map.of(
                        "TIDEMILL_CLUSTER_NAME", cluster,
                        "TIDEMILL_KUBERNETES_SERVICE", service,
                        "TIDEMILL_BIND_ADDRESS", podIps.get(i),
                        "TIDEMILL_HAZELCAST_PORT", String.valueOf(hazelcastPort),
                        "TIDEMILL_DATA_PORT", String.valueOf(dataPort),
                        "TIDEMILL_HTTP_PORT", String.valueOf(httpPort),
                        "TIDEMILL_QUORUM", "2",
                        "TIDEMILL_WORKER_THREADS", "1");
                nodes.add(NodeProcess.launch(List.of("-Djdk.net.hosts.file=" + hosts), env, List.of(),
                        hazelcastPort, dataPort, httpPort, dir.resolve("node" + i + ".log")));
            }
            // ready needs the quorum of 2: each node is ready only once it found the other
            await().atMost(Duration.ofSeconds(90)).until(() -> nodes.stream().allMatch(n -> {
                JsonNode m = Rest.tryGet(n.url() + "/members");
                return m != null && m.get("members").size() == 2 && Rest.tryGet(n.url() + "/ready") != null;
            }));
            for (NodeProcess n : nodes) {
                Set<String> seen = new TreeSet<>();
                for (JsonNode m : Rest.get(n.url() + "/members").get("members")) {
                    seen.add(m.get("host").asText() + ":" + m.get("hazelcastPort").asInt());
                }
                assertEquals(Set.of(podIps.get(0) + ":" + hazelcastPort, podIps.get(1) + ":" + hazelcastPort), seen,
                        "members seen by the node on port " + n.httpPort);
            }
            // and records flow between them: the data plane listens on, and dials, the "pod IPs"
            Path out = dir.resolve("out");
            String job = Rest.post(nodes.get(0).url() + "/jobs", new SubmitRequest(NexmarkJob.class.getName(),
                    List.of("--query", "q5", "--events", "50000", "--output", out.toString()), 2, null, 0, null, 0,
                    100L, null)).get("jobId").asText();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                JsonNode d = Rest.tryGet(nodes.get(1).url() + "/jobs/" + job);
                assertTrue(d == null || !d.get("status").asText().equals("FAILED"), () -> "job failed: " + d);
                return d != null && d.get("status").asText().equals("FINISHED");
            });
            assertEquals(ClusterNexmarkTest.expected(dir.resolve("expected"), "q5", 50_000, 2),
                    ClusterNexmarkTest.rows(out));
        } catch (Exception | Error e) {
            NodeProcess.printLogTails(nodes, 40);
            throw e;
        } finally {
            NodeProcess.closeAll(nodes);
        }
    }
}
