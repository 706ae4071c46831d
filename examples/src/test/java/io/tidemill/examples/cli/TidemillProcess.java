package io.tidemill.examples.cli;

import io.tidemill.cli.Tidemill;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The {@code tidemill} command as a child JVM, as {@code bin/tidemill} starts it; stdout and stderr
 * go to a log. Closing it kills exactly this process (by its pid, SIGKILL) if it still runs and
 * waits for it to end, so a test that fails half-way leaves nothing running.
 *
 * <pre>{@code
 * try (TidemillProcess run = TidemillProcess.start(args, log)) {
 *     Process p = run.process();
 *     ...
 * }
 * }</pre>
 */
final class TidemillProcess implements AutoCloseable {
    private final Process process;

    private TidemillProcess(Process process) {
        this.process = process;
    }

    static TidemillProcess start(List<String> args, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(Tidemill.class.getName());
        cmd.addAll(args);
        return new TidemillProcess(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .start());
    }

    /** The id of the newest completed checkpoint (with metadata) in a state directory, 0 if none. */
    static long latestCheckpoint(Path state) throws IOException {
        if (!Files.isDirectory(state)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(state)) {
            return s.filter(p -> p.getFileName().toString().startsWith("chk-") && Files.exists(p.resolve("_metadata")))
                    .mapToLong(p -> Long.parseLong(p.getFileName().toString().substring(4))).max().orElse(0);
        }
    }

    Process process() {
        return process;
    }

    /** SIGKILL to this process, by its pid, then waits for it to end. */
    void kill() throws InterruptedException {
        ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
