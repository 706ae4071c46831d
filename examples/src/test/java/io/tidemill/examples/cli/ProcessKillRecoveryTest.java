package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.cli.Tidemill;
import io.tidemill.connector.nexmark.NexmarkFileWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code nexmark} command as a child JVM, killed with SIGKILL at random moments after a
 * checkpoint completed and started again with the same arguments until it finishes: the committed
 * output equals an uninterrupted run's, as a multiset of rows (the last run at another parallelism,
 * also 1, where keyed edges are chained and an unaligned checkpoint's in-flight records of their
 * channels go into the chained operator), and so do the dead letters of the input's malformed lines,
 * and their count in the summary.
 */
class ProcessKillRecoveryTest {
    private static final int KILLS = 3;
    private static final int BAD_LINES = 40;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0} {1}, last run at parallelism {2}")
    @CsvSource({"q5,exactly-once,3", "q7,exactly-once,3", "q11,exactly-once,3", "q7,unaligned,1", "q11,unaligned,1"})
    void givenTheCommandIsKilledRepeatedly_whenRerunUntilItFinishes_thenTheOutputEqualsAnUninterruptedRun(
            String query, String checkpointMode, String lastParallelism) throws Exception {
        Path events = dir.resolve("events.jsonl");
        NexmarkFileWriter.generate(150_000, 3000, 7, events);
        withBadLines(events);
        Path expectedFile = dir.resolve("expected.jsonl");
        assertEquals(0, Tidemill.run(List.of("nexmark", "--query", query, "--input", events.toString(),
                "--output", expectedFile.toString(), "--parallelism", "2")));
        Path out = dir.resolve("out");
        Path state = dir.resolve("state");
        List<String> args = List.of("nexmark", "--query", query, "--input", events.toString(), "--output",
                out.toString(), "--state-dir", state.toString(), "--checkpoint-interval", "100ms", "--checkpoint-mode",
                checkpointMode, "--parallelism", "2", "--rate", "25000");

        for (int kill = 0; kill < KILLS; kill++) {
            long before = TidemillProcess.latestCheckpoint(state);
            long wanted = before + 1 + ThreadLocalRandom.current().nextInt(3);
            try (TidemillProcess run = TidemillProcess.start(args, dir.resolve("run-" + kill + ".log"))) {
                Process p = run.process();
                await().atMost(Duration.ofSeconds(30)).until(() -> TidemillProcess.latestCheckpoint(state) >= wanted || !p.isAlive());
                assertTrue(p.isAlive(), "the run ended before it could be killed: "
                        + Files.readString(dir.resolve("run-" + kill + ".log")));
                run.kill();
                assertTrue(!p.isAlive());
            }
        }
        // The last run also changes the parallelism: key groups and splits are redistributed.
        List<String> rescaled = new ArrayList<>(args);
        rescaled.set(rescaled.indexOf("--parallelism") + 1, lastParallelism);
        try (TidemillProcess last = TidemillProcess.start(rescaled, dir.resolve("last.log"))) {
            assertTrue(last.process().waitFor(60, TimeUnit.SECONDS));
            assertEquals(0, last.process().exitValue(), Files.readString(dir.resolve("last.log")));
        }

        List<String> expected = new ArrayList<>(Files.readAllLines(expectedFile));
        expected.sort(null);
        // q7 has one window per 10 s of event time, a few in this input; the others have many rows
        assertTrue(expected.size() > (query.equals("q7") ? 1 : 10), "the query produced rows: " + expected.size());
        assertEquals(expected, committedRows(out));

        List<String> expectedDead = new ArrayList<>(Files.readAllLines(dir.resolve("expected.jsonl.dead-letter.jsonl")));
        expectedDead.sort(null);
        assertEquals(BAD_LINES, expectedDead.size());
        assertEquals(expectedDead, committedRows(dir.resolve("out.dead-letter")));
        String summary = Files.readString(dir.resolve("last.log"));
        assertTrue(summary.contains("dead letters " + BAD_LINES + " "), summary);
    }

    /** Spreads {@link #BAD_LINES} malformed lines over the file, each different. */
    private static void withBadLines(Path events) throws IOException {
        List<String> lines = Files.readAllLines(events);
        List<String> mixed = new ArrayList<>(lines.size() + BAD_LINES);
        int every = lines.size() / BAD_LINES;
        for (int i = 0; i < lines.size(); i++) {
            if (i % every == every / 2) {
                mixed.add("{\"type\":\"bid\",\"broken\":" + i);
            }
            mixed.add(lines.get(i));
        }
        Files.write(events, mixed);
    }

    private static List<String> committedRows(Path out) throws IOException {
        List<String> rows = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                rows.addAll(Files.readAllLines(f));
            }
        }
        rows.sort(null);
        return rows;
    }
}
