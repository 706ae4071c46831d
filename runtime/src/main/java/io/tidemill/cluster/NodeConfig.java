package io.tidemill.cluster;

import io.tidemill.net.DataPlane;
import java.nio.file.Path;
import java.util.List;

/**
 * How a node starts. Ports 0 mean "any free port" (tests); {@link #defaults()} gives a node for
 * this machine alone.
 *
 * @param clusterName members with another name never join (also checked on the data plane)
 * @param members static member list ({@code host:port} of Hazelcast ports); empty with
 *     {@code kubernetesService} set: DNS discovery of that headless Service
 * @param bindAddress the address all servers bind to
 * @param publicAddress the address others reach this node at (null: the bind address)
 * @param httpHost the REST API's bind address (loopback by default)
 * @param storeDirectory a shared directory for snapshots; null: Hazelcast maps with a backup
 * @param quorum the fewest members that may run jobs and complete checkpoints (split-brain
 *     protection); 0: a majority of {@code members}, or 1 without a static list
 * @param secret shared secret of the data plane handshake, or null
 * @param apiToken bearer token the REST API requires for changes, or null
 * @param bufferTimeoutMillis how long records queued for another node may wait to be sent with more
 *     (Flink's buffer timeout): a latency bound per hop, traded for fewer, larger network writes
 */
public record NodeConfig(String clusterName, List<String> members, String kubernetesService, String bindAddress,
                         String publicAddress, int hazelcastPort, int dataPort, int httpPort, String httpHost,
                         int workerThreads, Path storeDirectory, int quorum, String secret, String apiToken,
                         int heartbeatSeconds, int maxNoHeartbeatSeconds, int bufferTimeoutMillis) {
    public NodeConfig {
        members = members == null ? List.of() : List.copyOf(members);
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("the cluster name must not be empty");
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("worker threads must be at least 1, was " + workerThreads);
        }
        if (heartbeatSeconds < 1 || maxNoHeartbeatSeconds <= heartbeatSeconds) {
            throw new IllegalArgumentException("the heartbeat interval must be at least 1 s and shorter than "
                    + "the failure timeout");
        }
        DataPlane.Config.checkBufferTimeout(bufferTimeoutMillis);
    }

    /** A node alone on this machine: loopback, Hazelcast 5701, data 6123, REST 8081, a core per worker. */
    public static NodeConfig defaults() {
        return new NodeConfig("tidemill", List.of(), null, "127.0.0.1", null, 5701, 6123, 8081, "127.0.0.1",
                Runtime.getRuntime().availableProcessors(), null, 0, null, null, 1, 5,
                DataPlane.Config.DEFAULT_BUFFER_TIMEOUT_MILLIS);
    }

    /** For tests: a cluster of nodes on loopback with free ports, joining the given members. */
    public static NodeConfig forTest(String clusterName, int hazelcastPort, List<String> members) {
        return new NodeConfig(clusterName, members, null, "127.0.0.1", null, hazelcastPort, 0, 0, "127.0.0.1", 2,
                null, 0, null, null, 1, 5, DataPlane.Config.DEFAULT_BUFFER_TIMEOUT_MILLIS);
    }

    public NodeConfig withWorkerThreads(int n) {
        return new NodeConfig(clusterName, members, kubernetesService, bindAddress, publicAddress, hazelcastPort,
                dataPort, httpPort, httpHost, n, storeDirectory, quorum, secret, apiToken, heartbeatSeconds,
                maxNoHeartbeatSeconds, bufferTimeoutMillis);
    }

    public NodeConfig withStoreDirectory(Path dir) {
        return new NodeConfig(clusterName, members, kubernetesService, bindAddress, publicAddress, hazelcastPort,
                dataPort, httpPort, httpHost, workerThreads, dir, quorum, secret, apiToken, heartbeatSeconds,
                maxNoHeartbeatSeconds, bufferTimeoutMillis);
    }

    public NodeConfig withQuorum(int q) {
        return new NodeConfig(clusterName, members, kubernetesService, bindAddress, publicAddress, hazelcastPort,
                dataPort, httpPort, httpHost, workerThreads, storeDirectory, q, secret, apiToken, heartbeatSeconds,
                maxNoHeartbeatSeconds, bufferTimeoutMillis);
    }

    public NodeConfig withApiToken(String token) {
        return new NodeConfig(clusterName, members, kubernetesService, bindAddress, publicAddress, hazelcastPort,
                dataPort, httpPort, httpHost, workerThreads, storeDirectory, quorum, secret, token, heartbeatSeconds,
                maxNoHeartbeatSeconds, bufferTimeoutMillis);
    }

    /** The split-brain quorum this node applies. */
    public int effectiveQuorum() {
        if (quorum > 0) {
            return quorum;
        }
        return members.isEmpty() ? 1 : members.size() / 2 + 1;
    }

    /** The address others reach this node's servers at. */
    public String advertisedHost() {
        return publicAddress != null ? publicAddress : bindAddress;
    }
}
