package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.connector.nexmark.NexmarkFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two {@code nexmark} processes on one state directory or one output file: the second refuses to
 * start, naming the first one's pid; once the first is killed with SIGKILL, a rerun starts.
 */
@Timeout(120)
class RunLockTest {
    @TempDir
    Path dir;
    private Path events;

    @BeforeEach
    void events() throws IOException {
        events = dir.resolve("events.jsonl");
        NexmarkFileWriter.generate(150_000, 3000, 7, events);
    }

    @Test
    void givenARunOnAStateDirectory_whenASecondRunStarts_thenItRefusesNamingThePidUntilTheFirstIsKilled()
            throws Exception {
        Path state = dir.resolve("state");
        List<String> args = List.of("nexmark", "--query", "q5", "--input", events.toString(), "--output",
                dir.resolve("out").toString(), "--state-dir", state.toString(), "--checkpoint-interval", "100ms",
                "--parallelism", "2");

        assertSecondRunRefusedWhileTheFirstRuns(args, state.resolve(".lock"));
    }

    @Test
    void givenARunWritingAPlainOutputFile_whenASecondRunStarts_thenItRefusesNamingThePidUntilTheFirstIsKilled()
            throws Exception {
        Path output = dir.resolve("out.jsonl");
        List<String> args = List.of("nexmark", "--query", "q5", "--input", events.toString(), "--output",
                output.toString(), "--parallelism", "2");

        assertSecondRunRefusedWhileTheFirstRuns(args, dir.resolve(".out.jsonl.lock"));
    }

    private void assertSecondRunRefusedWhileTheFirstRuns(List<String> args, Path lockFile) throws Exception {
        List<String> slow = new ArrayList<>(args);
        slow.addAll(List.of("--rate", "10000")); // 15 s: long enough to be caught running
        try (TidemillProcess firstRun = TidemillProcess.start(slow, dir.resolve("first.log"))) {
            Process first = firstRun.process();
            // running: its first progress line (after 2 s) is out
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(dir.resolve("first.log"))
                    .contains("events") || !first.isAlive());
            assertTrue(first.isAlive(), Files.readString(dir.resolve("first.log")));

            try (TidemillProcess secondRun = TidemillProcess.start(args, dir.resolve("second.log"))) {
                Process second = secondRun.process();
                assertTrue(second.waitFor(30, TimeUnit.SECONDS));
                String log = Files.readString(dir.resolve("second.log"));
                assertEquals(1, second.exitValue(), log);
                assertTrue(log.contains("is in use by process " + first.pid()), log);
            }
            assertTrue(first.isAlive(), "the refused run left the first one alone");
            assertEquals(String.valueOf(first.pid()), Files.readString(lockFile).trim());

            firstRun.kill(); // SIGKILL: the OS releases the lock
            assertTrue(!first.isAlive());
            try (TidemillProcess rerun = TidemillProcess.start(args, dir.resolve("rerun.log"))) {
                assertTrue(rerun.process().waitFor(60, TimeUnit.SECONDS));
                assertEquals(0, rerun.process().exitValue(), Files.readString(dir.resolve("rerun.log")));
            }
        }
    }
}
