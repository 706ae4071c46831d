package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.connector.nexmark.NexmarkFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A {@code nexmark} process stopped by SIGINT or SIGTERM says in one line on stderr what it left. */
@Timeout(120)
class StopOnSignalTest {
    @TempDir
    Path dir;
    private Path events;
    private Path log;

    @BeforeEach
    void events() throws IOException {
        events = dir.resolve("events.jsonl");
        NexmarkFileWriter.generate(150_000, 3000, 7, events);
        log = dir.resolve("run.log");
    }

    @Test
    void givenAPlainRun_whenInterrupted_thenItSaysNoOutputWasProducedAndNoFileIsLeft() throws Exception {
        Path output = dir.resolve("out.jsonl");
        try (TidemillProcess run = TidemillProcess.start(List.of("nexmark", "--query", "q5", "--input",
                events.toString(), "--output", output.toString(), "--parallelism", "2", "--rate", "10000"), log)) {
            Process p = run.process();
            awaitProgress(p);

            signal(p, "INT");

            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertStoppedLine("tidemill nexmark: stopped; no output was produced (" + output + " not written)");
            assertEquals(List.of("events.jsonl", "run.log"), fileNames(dir), "no output, not even a hidden one");
        }
    }

    @Test
    void givenACheckpointedRun_whenTerminated_thenItSaysWhichCheckpointARerunResumesFrom() throws Exception {
        Path state = dir.resolve("state");
        try (TidemillProcess run = TidemillProcess.start(List.of("nexmark", "--query", "q5", "--input",
                events.toString(), "--output", dir.resolve("out").toString(), "--state-dir", state.toString(),
                "--checkpoint-interval", "100ms", "--parallelism", "2", "--rate", "10000"), log)) {
            Process p = run.process();
            await().atMost(Duration.ofSeconds(30)).until(() -> TidemillProcess.latestCheckpoint(state) > 0 || !p.isAlive());
            assertTrue(p.isAlive(), Files.readString(log));

            p.destroy(); // SIGTERM

            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertStoppedLine("tidemill nexmark: stopped; rerun the same command to resume from checkpoint "
                    + TidemillProcess.latestCheckpoint(state));
        }
    }

    private void awaitProgress(Process p) throws IOException {
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("events") || !p.isAlive());
        assertTrue(p.isAlive(), Files.readString(log));
    }

    /** The log's only line about the stop, and no stack trace or error besides. */
    private void assertStoppedLine(String expected) throws IOException {
        String text = Files.readString(log);
        List<String> lines = text.lines().filter(l -> !l.startsWith("[")).toList(); // progress lines start with [
        assertEquals(List.of(expected), lines, text);
    }

    private static void signal(Process p, String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue());
    }

    private static List<String> fileNames(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.map(f -> f.getFileName().toString()).filter(n -> !n.endsWith(".lock")).sorted().toList();
        }
    }
}
