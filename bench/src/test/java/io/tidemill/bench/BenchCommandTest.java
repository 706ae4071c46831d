package io.tidemill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.cli.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The benchmark harness runs its cells in fresh JVMs and prints a row per query with its ratios. */
class BenchCommandTest {
    /** A table row: query, baseline ev/s, p1 ev/s, p1/base, heap. */
    private static final Pattern ROW = Pattern.compile("(?m)^(q\\d+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+(\\d+\\.\\d\\d)x\\s+\\d+/\\d+$");

    @ParameterizedTest(name = "in process: {0}")
    @ValueSource(booleans = {false, true})
    void cellsFillTheTableOfBothModes(boolean inProcess, @TempDir Path data) throws Exception {
        List<String> args = new ArrayList<>(List.of("--events", "20000", "--data", data.toString(), "--queries", "q1",
                "--parallelism", "1", "--generator-queries", "q7", "--generator-events", "200000",
                "--warmups", "1", "--reps", "2"));
        if (inProcess) {
            args.add("--in-process");
        }
        String out = runBench(args);

        assertTrue(out.contains(inProcess ? "every cell in this JVM" : "every cell in a fresh JVM"), out);
        Matcher m = ROW.matcher(out);
        assertTrue(m.find(), out);
        assertEquals("q1", m.group(1));
        assertTrue(Double.parseDouble(m.group(4)) > 0, out);
        assertTrue(m.find(), out);
        assertEquals("q7", m.group(1));
        assertTrue(Double.parseDouble(m.group(4)) > 0, out);
    }

    @Test
    void rejectsAnUnknownQueryBeforeRunningAnything(@TempDir Path data) {
        UsageException e = assertThrows(UsageException.class, () -> new BenchCommand().run(
                List.of("--data", data.toString(), "--queries", "q6", "--events", "10")));
        assertTrue(e.getMessage().contains("unknown query 'q6'"), e.getMessage());
    }

    private static String runBench(List<String> args) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new BenchCommand().run(args));
        } finally {
            System.setOut(stdout);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
