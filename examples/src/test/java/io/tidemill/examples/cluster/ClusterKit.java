package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;

import io.tidemill.cluster.NodeConfig;
import io.tidemill.cluster.TidemillNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Real Tidemill nodes in this JVM: Hazelcast members and Vert.x servers on loopback, free ports. */
final class ClusterKit implements AutoCloseable {
    final String name = "test-" + UUID.randomUUID();
    final List<TidemillNode> nodes = new ArrayList<>();

    static int freePort() {
        return io.tidemill.cluster.FreePorts.pick();
    }

    /** Starts {@code n} nodes that form one cluster, each with {@code threads} workers. */
    static ClusterKit start(int n, int threads) {
        return start(n, threads, TidemillNode::start);
    }

    /** How a test starts one node (e.g. with a Hazelcast member it can firewall). */
    interface NodeStarter {
        TidemillNode start(NodeConfig config) throws Exception;
    }

    /** Starts {@code n} nodes with {@code starter}, which form one cluster, each with {@code threads} workers. */
    static ClusterKit start(int n, int threads, NodeStarter starter) {
        ClusterKit kit = new ClusterKit();
        List<Integer> ports = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int p = freePort();
            ports.add(p);
            members.add("127.0.0.1:" + p);
        }
        try {
            // the first forms the cluster, the others join it together
            kit.nodes.add(starter.start(config(kit.name, ports.get(0), members, threads)));
            List<CompletableFuture<TidemillNode>> rest = new ArrayList<>();
            for (int i = 1; i < n; i++) {
                int port = ports.get(i);
                rest.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return starter.start(config(kit.name, port, members, threads));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            for (CompletableFuture<TidemillNode> f : rest) {
                kit.nodes.add(f.join());
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> kit.nodes.stream()
                    .allMatch(node -> node.members().size() == n && node.ready())
                    && kit.nodes.stream().anyMatch(TidemillNode::isMaster));
            return kit;
        } catch (Exception | Error e) {
            kit.close();
            throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
        }
    }

    static NodeConfig config(String cluster, int port, List<String> members, int threads) {
        return NodeConfig.forTest(cluster, port, members).withWorkerThreads(threads);
    }

    /** The node that is the job master. */
    TidemillNode master() {
        return nodes.stream().filter(TidemillNode::isMaster).findFirst().orElseThrow();
    }

    @Override
    public void close() {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            } catch (RuntimeException e) {
                // go on closing the others
            }
        }
    }
}
