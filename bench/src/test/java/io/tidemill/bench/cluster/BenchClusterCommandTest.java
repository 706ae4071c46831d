package io.tidemill.bench.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A tiny run of the cluster benchmark fills every table and leaves no node JVM behind. */
class BenchClusterCommandTest {
    /** query, embedded ev/s, cluster ev/s, ratio. */
    private static final Pattern THROUGHPUT = Pattern.compile(
            "(?m)^(q\\d+)\\s+([\\d,]+)\\s+([\\d,]+)\\s+(\\d+\\.\\d\\d)x");
    /** query, connection, records/s, MB/s. */
    private static final Pattern EXCHANGE = Pattern.compile("(?m)^(q\\d+)\\s+node\\d->\\S+\\s+([\\d,]+)\\s+\\d+\\.\\d");
    /** who, detection, restore, total. */
    private static final Pattern RECOVERY = Pattern.compile(
            "(?m)^(worker|master)\\s+(\\d+)\\s+(\\d+)\\s+(\\d+)\\s+\\d+\\+\\d+");

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void aTinyRunReportsTheRatioTheExchangeAndRecoveryOfBothKills(@TempDir Path dir) throws Exception {
        Path work = dir.resolve("work");
        String out = run(List.of("--queries", "q5", "--events", "50000", "--reps", "1", "--warmup", "1",
                "--recovery-reps", "1", "--work", work.toString()));

        Matcher t = THROUGHPUT.matcher(out);
        assertTrue(t.find(), out);
        assertEquals("q5", t.group(1));
        assertTrue(Double.parseDouble(t.group(4)) > 0, out);
        Matcher x = EXCHANGE.matcher(out);
        assertTrue(x.find(), "q5 at parallelism 2 sends over the data plane (its keyed exchange): " + out);
        Matcher r = RECOVERY.matcher(out);
        assertTrue(r.find(), out);
        assertEquals("worker", r.group(1));
        assertTrue(r.find(), out);
        assertEquals("master", r.group(1));
        assertTrue(NodeCluster.LIVE.isEmpty(), "node JVMs left: " + NodeCluster.LIVE);
        assertTrue(ProcessHandle.current().descendants().noneMatch(ProcessHandle::isAlive), "no child process left");
        assertFalse(Files.exists(work), "the work directory is deleted without --keep");
    }

    private static String run(List<String> args) throws Exception {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new BenchClusterCommand().run(args));
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        System.out.print(out);
        return out;
    }
}
