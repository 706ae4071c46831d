package io.tidemill.cli;

import io.tidemill.cluster.NodeConfig;
import io.tidemill.cluster.TidemillNode;
import io.tidemill.cluster.api.JobSummary;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/** {@code tidemill node}: runs a cluster node until SIGTERM/SIGINT, then leaves the cluster gracefully. */
public final class NodeCommand implements Command {
    /** Option → environment variable, in the order of the usage text. */
    private static final Map<String, String> ENV = new java.util.LinkedHashMap<>();

    static {
        ENV.put("cluster-name", "TIDEMILL_CLUSTER_NAME");
        ENV.put("members", "TIDEMILL_MEMBERS");
        ENV.put("kubernetes-service", "TIDEMILL_KUBERNETES_SERVICE");
        ENV.put("bind", "TIDEMILL_BIND_ADDRESS");
        ENV.put("public-address", "TIDEMILL_PUBLIC_ADDRESS");
        ENV.put("hazelcast-port", "TIDEMILL_HAZELCAST_PORT");
        ENV.put("data-port", "TIDEMILL_DATA_PORT");
        ENV.put("http-port", "TIDEMILL_HTTP_PORT");
        ENV.put("http-host", "TIDEMILL_HTTP_HOST");
        ENV.put("threads", "TIDEMILL_WORKER_THREADS");
        ENV.put("store-dir", "TIDEMILL_STORE_DIR");
        ENV.put("quorum", "TIDEMILL_QUORUM");
        ENV.put("secret", "TIDEMILL_SECRET");
        ENV.put("heartbeat-seconds", "TIDEMILL_HEARTBEAT_SECONDS");
        ENV.put("failure-timeout-seconds", "TIDEMILL_FAILURE_TIMEOUT_SECONDS");
        ENV.put("buffer-timeout-ms", "TIDEMILL_BUFFER_TIMEOUT_MS");
    }

    @Override
    public String name() {
        return "node";
    }

    @Override
    public String summary() {
        return "run a cluster node (Hazelcast member + data plane + REST API) until stopped";
    }

    @Override
    public String usage() {
        return """
                usage: tidemill node [options]      every option can also be set by its environment variable

                  --cluster-name NAME          TIDEMILL_CLUSTER_NAME     members of other clusters never join (default tidemill)
                  --members H:P,H:P,...        TIDEMILL_MEMBERS          static member list: Hazelcast host:port of the nodes
                  --kubernetes-service DNS     TIDEMILL_KUBERNETES_SERVICE  instead of --members: discover the pods of this
                                                                         headless Service by DNS (e.g. tidemill.ns.svc.cluster.local);
                                                                         every pod listens on the same --hazelcast-port
                  --bind ADDRESS               TIDEMILL_BIND_ADDRESS     address the Hazelcast and data ports bind to (default 127.0.0.1)
                  --public-address ADDRESS     TIDEMILL_PUBLIC_ADDRESS   address other nodes reach this one at (default: --bind)
                  --hazelcast-port PORT        TIDEMILL_HAZELCAST_PORT   (default 5701)
                  --data-port PORT             TIDEMILL_DATA_PORT        records between nodes (default 6123)
                  --http-port PORT             TIDEMILL_HTTP_PORT        REST API (default 8081)
                  --http-host ADDRESS          TIDEMILL_HTTP_HOST        REST API bind address (default 127.0.0.1)
                  --threads N                  TIDEMILL_WORKER_THREADS   cooperative worker threads (default: cores)
                  --store-dir DIR              TIDEMILL_STORE_DIR        snapshots in this shared directory (default: Hazelcast
                                                                         maps with a backup, lost when the whole cluster stops)
                  --quorum N                   TIDEMILL_QUORUM           fewest members that run jobs (default: a majority of
                                                                         --members, 1 without a static list)
                  --secret S                   TIDEMILL_SECRET           shared secret of the data-plane handshake
                  --heartbeat-seconds N        TIDEMILL_HEARTBEAT_SECONDS  (default 1)
                  --failure-timeout-seconds N  TIDEMILL_FAILURE_TIMEOUT_SECONDS  a silent member is removed after this (default 5)
                  --buffer-timeout-ms N        TIDEMILL_BUFFER_TIMEOUT_MS  records for another node wait at most this long to
                                                                         be sent with more: fewer, larger writes (default 5)
                  TIDEMILL_API_TOKEN (environment only): the REST API requires it as a bearer token for changes

                Multicast and auto-detection are off. SIGTERM or SIGINT: the node leaves gracefully (its subtasks
                restart on the other nodes from the latest checkpoint; the last node stops its jobs with a savepoint).
                """;
    }

    @Override
    public int run(List<String> args) throws Exception {
        Options o = Options.parse(args, ENV.keySet(), Set.of());
        NodeConfig d = NodeConfig.defaults();
        String members = value(o, "members", null);
        String bind = value(o, "bind", d.bindAddress());
        int hzPort = port(o, "hazelcast-port", d.hazelcastPort());
        NodeConfig config = new NodeConfig(
                value(o, "cluster-name", d.clusterName()),
                members == null ? List.of() : Arrays.stream(members.split(",")).map(String::trim)
                        .filter(s -> !s.isEmpty()).toList(),
                value(o, "kubernetes-service", null),
                bind,
                value(o, "public-address", null),
                hzPort,
                port(o, "data-port", d.dataPort()),
                port(o, "http-port", d.httpPort()),
                value(o, "http-host", d.httpHost()),
                number(o, "threads", d.workerThreads()),
                value(o, "store-dir", null) == null ? null : Path.of(value(o, "store-dir", null)),
                number(o, "quorum", 0),
                value(o, "secret", null),
                emptyToNull(System.getenv("TIDEMILL_API_TOKEN")),
                number(o, "heartbeat-seconds", d.heartbeatSeconds()),
                number(o, "failure-timeout-seconds", d.maxNoHeartbeatSeconds()),
                number(o, "buffer-timeout-ms", d.bufferTimeoutMillis()));
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        try (TidemillNode node = TidemillNode.start(config)) {
            System.err.printf("tidemill node: member %s of cluster '%s'; REST http://%s:%d, data port %d%n",
                    node.memberId(), config.clusterName(), config.httpHost(), node.httpPort(), node.dataPort());
            long lastRecords = 0;
            long lastTime = System.nanoTime();
            while (!stop.await(10, java.util.concurrent.TimeUnit.SECONDS)) {
                if (node.isMaster()) {
                    long records = 0;
                    StringBuilder jobs = new StringBuilder();
                    for (JobSummary j : node.jobs()) {
                        if (j.status().equals("RUNNING") || j.status().equals("RESTARTING")) {
                            records += node.recordsIn(j.id());
                            jobs.append(' ').append(j.id()).append('=').append(j.status().toLowerCase(Locale.ROOT));
                        }
                    }
                    long now = System.nanoTime();
                    double rate = Math.max(0, records - lastRecords) / ((now - lastTime) / 1e9);
                    lastRecords = records;
                    lastTime = now;
                    System.err.printf("tidemill node: %d members, jobs:%s, %.0f records/s%n", node.members().size(),
                            jobs.length() == 0 ? " none" : jobs, rate);
                }
            }
            System.err.println("tidemill node: leaving the cluster");
        }
        return 0;
    }

    private static String emptyToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    private static String value(Options o, String name, String fallback) {
        String v = o.string(name, null);
        if (v == null) {
            v = emptyToNull(System.getenv(ENV.get(name)));
        }
        return v == null ? fallback : v;
    }

    private static int number(Options o, String name, int fallback) {
        String v = value(o, name, null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " (" + ENV.get(name) + ") must be a number, was '" + v + "'");
        }
    }

    private static int port(Options o, String name, int fallback) {
        int p = number(o, name, fallback);
        if (p < 0 || p > 65535) {
            throw new UsageException("--" + name + " must be a port (0-65535), was " + p);
        }
        return p;
    }
}
