package io.tidemill.bench.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Node JVMs forming one cluster on loopback. {@link #LIVE} holds every node JVM started and not yet
 * killed, in any cluster, so that a shutdown hook can kill exactly those when the benchmark is
 * interrupted.
 */
final class NodeCluster implements AutoCloseable {
    static final Set<NodeJvm> LIVE = ConcurrentHashMap.newKeySet();

    final List<NodeJvm> nodes = new ArrayList<>();

    private NodeCluster() {}

    /** Starts {@code n} nodes with {@code threads} workers each and returns once every one sees all. */
    static NodeCluster start(int n, int threads, Path dir) throws IOException, InterruptedException {
        String name = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        List<Integer> ports = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int p = NodeJvm.freePort();
            ports.add(p);
            members.add("127.0.0.1:" + p);
        }
        NodeCluster c = new NodeCluster();
        try {
            for (int i = 0; i < n; i++) {
                NodeJvm node = NodeJvm.start(name, ports.get(i), members, threads,
                        dir.resolve(name + "-node" + i + ".log"));
                LIVE.add(node);
                c.nodes.add(node);
            }
            c.awaitFormed(Duration.ofSeconds(90));
            return c;
        } catch (IOException | InterruptedException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private void awaitFormed(Duration limit) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (NodeJvm n : nodes) {
            while (true) {
                JsonNode m = Rest.tryGet(n.url() + "/members", Duration.ofSeconds(2));
                if (m != null && m.get("members").size() == nodes.size()
                        && Rest.tryGet(n.url() + "/ready", Duration.ofSeconds(2)) != null) {
                    break;
                }
                if (!n.isAlive()) {
                    throw new IOException("node " + n.log.getFileName() + " exited while starting:\n" + tail(n, 30));
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the cluster did not form within " + limit.toSeconds() + " s:\n"
                            + logTails(30));
                }
                Thread.sleep(100);
            }
        }
    }

    /** The job master, as the first node sees it. */
    NodeJvm master() throws IOException, InterruptedException {
        for (JsonNode m : Rest.get(nodes.get(0).url() + "/members", Duration.ofSeconds(10)).get("members")) {
            if (m.get("master").asBoolean()) {
                int port = m.get("hazelcastPort").asInt();
                return nodes.stream().filter(n -> n.hazelcastPort == port).findFirst().orElseThrow();
            }
        }
        throw new IOException("no member is the master");
    }

    void kill(NodeJvm node) {
        node.kill();
        LIVE.remove(node);
    }

    /** The last lines of every node's log, for a failure report. */
    String logTails(int lines) {
        StringBuilder b = new StringBuilder();
        for (NodeJvm n : nodes) {
            b.append("---- ").append(n.log.getFileName()).append('\n').append(tail(n, lines));
        }
        return b.toString();
    }

    private static String tail(NodeJvm n, int lines) {
        try {
            List<String> all = Files.exists(n.log) ? Files.readAllLines(n.log) : List.of();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size())) + "\n";
        } catch (IOException e) {
            return "(cannot read: " + e + ")\n";
        }
    }

    @Override
    public void close() {
        for (NodeJvm n : nodes) {
            kill(n);
        }
    }
}
