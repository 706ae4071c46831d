package io.tidemill.examples.cluster;

import io.tidemill.cli.Tidemill;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A {@code tidemill node} as a child JVM, started as {@code bin/tidemill node} starts it (the same
 * main class and Hazelcast's module flags, the test's classpath instead of the distribution jar).
 * Closing it kills exactly this process, by its pid, if it still runs.
 */
final class NodeProcess implements AutoCloseable {
    static final List<String> JVM_FLAGS = List.of("--add-modules", "java.se", "--add-exports",
            "java.base/jdk.internal.ref=ALL-UNNAMED", "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens",
            "java.management/sun.management=ALL-UNNAMED", "--add-opens",
            "jdk.management/com.sun.management.internal=ALL-UNNAMED", "-Dhazelcast.phone.home.enabled=false");

    final int hazelcastPort;
    final int dataPort;
    final int httpPort;
    final Path log;
    private final Process process;

    private NodeProcess(Process process, int hazelcastPort, int dataPort, int httpPort, Path log) {
        this.process = process;
        this.hazelcastPort = hazelcastPort;
        this.dataPort = dataPort;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts a node of {@code cluster} on loopback; {@code members}: every node's Hazelcast address. */
    static NodeProcess start(String cluster, int hazelcastPort, List<String> members, Path log, String... extra)
            throws IOException {
        int dataPort = ClusterKit.freePort();
        int httpPort = ClusterKit.freePort();
        List<String> args = new ArrayList<>(List.of("--cluster-name", cluster, "--members", String.join(",", members),
                "--hazelcast-port", String.valueOf(hazelcastPort), "--data-port", String.valueOf(dataPort),
                "--http-port", String.valueOf(httpPort), "--threads", "1"));
        args.addAll(List.of(extra));
        return launch(List.of(), Map.of(), args, hazelcastPort, dataPort, httpPort, log);
    }

    /**
     * Starts {@code tidemill node ARGS} with these JVM options and environment variables added (the
     * node reads its {@code TIDEMILL_*} settings from the environment as in a container); the ports
     * are the ones the arguments or variables give it.
     */
    static NodeProcess launch(List<String> jvmOptions, Map<String, String> env, List<String> nodeArgs,
                              int hazelcastPort, int dataPort, int httpPort, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx384m");
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");
        cmd.addAll(JVM_FLAGS);
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Tidemill.class.getName());
        cmd.add("node");
        cmd.addAll(nodeArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("TIDEMILL_")); // only what the test gives
        pb.environment().putAll(env);
        return new NodeProcess(pb.start(), hazelcastPort, dataPort, httpPort, log);
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, by pid: the node leaves the cluster gracefully; waits until it ended. */
    void terminate() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroy);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("node " + process.pid() + " did not leave within 30 s of SIGTERM");
        }
    }

    /** SIGKILL, by pid, as a crash: no goodbye to the cluster. */
    void kill() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** What the nodes said, for a failure report: the last {@code keep} lines of each node's log. */
    static void printLogTails(List<NodeProcess> nodes, int keep) throws IOException {
        for (NodeProcess n : nodes) {
            List<String> lines = Files.exists(n.log) ? Files.readAllLines(n.log) : List.of();
            System.out.println("---- " + n.log.getFileName() + " (last " + keep + " lines)");
            lines.subList(Math.max(0, lines.size() - keep), lines.size()).forEach(System.out::println);
        }
    }

    /** Kills those of the nodes that still run, each by its pid. */
    static void closeAll(List<NodeProcess> nodes) throws InterruptedException {
        for (NodeProcess n : nodes) {
            n.close();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
