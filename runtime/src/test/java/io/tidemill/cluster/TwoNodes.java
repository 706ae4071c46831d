package io.tidemill.cluster;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Two nodes of a cluster of their own (a random name, free loopback ports), for tests. */
final class TwoNodes {
    private TwoNodes() {}

    /** Starts both and returns once each sees the other, is ready, and one is the master. */
    static List<TidemillNode> start() throws Exception {
        String cluster = "test-" + UUID.randomUUID();
        List<String> members = List.of("127.0.0.1:" + FreePorts.pick(), "127.0.0.1:" + FreePorts.pick());
        List<TidemillNode> nodes = new ArrayList<>();
        for (String m : members) {
            int port = Integer.parseInt(m.substring(m.indexOf(':') + 1));
            nodes.add(TidemillNode.start(NodeConfig.forTest(cluster, port, members).withWorkerThreads(2)));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> nodes.stream()
                .allMatch(n -> n.members().size() == 2 && n.ready())
                && nodes.stream().anyMatch(TidemillNode::isMaster));
        return nodes;
    }

    /** Closes the nodes, the last started first. */
    static void close(List<TidemillNode> nodes) {
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
    }
}
