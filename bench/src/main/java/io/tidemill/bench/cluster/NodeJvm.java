package io.tidemill.bench.cluster;

import io.tidemill.cli.Tidemill;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code tidemill node} in a child JVM on loopback, started as {@code bin/tidemill node} starts it
 * (the same main class and Hazelcast's module flags, this JVM's classpath), with snapshots in
 * Hazelcast maps (the default: a checkpoint survives the loss of a member). Killing it kills exactly
 * this process, by its pid.
 */
final class NodeJvm {
    private static final List<String> JVM_FLAGS = List.of("-Xms256m", "-Xmx1g", "-XX:+UseParallelGC",
            "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "-Dhazelcast.phone.home.enabled=false", "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS");

    final int hazelcastPort;
    final int httpPort;
    final Path log;
    private final Process process;

    private NodeJvm(Process process, int hazelcastPort, int httpPort, Path log) {
        this.process = process;
        this.hazelcastPort = hazelcastPort;
        this.httpPort = httpPort;
        this.log = log;
    }

    /** Starts a node of {@code cluster}; {@code members}: every node's Hazelcast address. */
    static NodeJvm start(String cluster, int hazelcastPort, List<String> members, int threads, Path log)
            throws IOException {
        int httpPort = freePort();
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(JVM_FLAGS);
        // Engine settings given to the bench (-Dtidemill.*) apply to its nodes too.
        System.getProperties().stringPropertyNames().stream().filter(k -> k.startsWith("tidemill.")).sorted()
                .forEach(k -> cmd.add("-D" + k + "=" + System.getProperty(k)));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Tidemill.class.getName());
        cmd.addAll(List.of("node", "--cluster-name", cluster, "--members", String.join(",", members),
                "--hazelcast-port", String.valueOf(hazelcastPort), "--data-port", String.valueOf(freePort()),
                "--http-port", String.valueOf(httpPort), "--threads", String.valueOf(threads)));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new NodeJvm(p, hazelcastPort, httpPort, log);
    }

    static int freePort() {
        return io.tidemill.cluster.FreePorts.pick();
    }

    String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, by pid, as a crash: no goodbye to the cluster. */
    void kill() {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
