package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.connector.nexmark.NexmarkFileWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A rerun after {@code kill -9} over an input regenerated meanwhile is refused, saying what changed. */
@Timeout(120)
class InputIdentityTest {
    @TempDir
    Path dir;

    @Test
    void givenAKilledCheckpointedRun_whenRerunOverAnotherInput_thenItIsRefusedAndTheOutputIsUntouched()
            throws Exception {
        Path events = dir.resolve("events.jsonl");
        // ~30 s at 20,000 events/s: q5's first windows fire (and commit output) after ~7 s, well before the end
        NexmarkFileWriter.generate(600_000, 3000, 7, events);
        Path out = dir.resolve("out");
        Path state = dir.resolve("state");
        List<String> args = List.of("nexmark", "--query", "q5", "--input", events.toString(), "--output",
                out.toString(), "--state-dir", state.toString(), "--checkpoint-interval", "100ms", "--parallelism",
                "2");
        List<String> slow = new java.util.ArrayList<>(args);
        slow.addAll(List.of("--rate", "20000"));
        try (TidemillProcess run = TidemillProcess.start(slow, dir.resolve("first.log"))) {
            Process p = run.process();
            await().atMost(Duration.ofSeconds(60)).until(() -> !files(out).isEmpty() || !p.isAlive());
            assertTrue(p.isAlive(), Files.readString(dir.resolve("first.log")));
            run.kill(); // SIGKILL
            assertTrue(!p.isAlive());
        }
        NexmarkFileWriter.generate(600_000, 3000, 8, events); // another seed: other events, same file name
        Map<String, String> before = files(out);

        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream oldErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int exit;
        try {
            exit = io.tidemill.cli.Tidemill.run(args);
        } finally {
            System.setErr(oldErr);
        }

        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(1, exit, text);
        assertTrue(text.contains("input " + events + " changed since the checkpoint ("), text);
        assertEquals(before, files(out));
    }

    /** The committed (visible) files of {@code d} with their content. */
    private static Map<String, String> files(Path d) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.isDirectory(d)) {
            return files;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path f : s.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return files;
    }
}
