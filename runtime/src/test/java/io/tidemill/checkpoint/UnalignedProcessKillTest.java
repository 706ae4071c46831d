package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unaligned checkpoints with real in-flight data, and a real crash: {@link SlowSinkJob} runs as a
 * child JVM behind a slow sink, so its channels are full when the barriers overtake them; once a
 * completed checkpoint holds in-flight records, the child is killed with SIGKILL, and it is run
 * again, at another parallelism, until it finishes. The committed output equals an uninterrupted
 * run's: no in-flight record lost or written twice.
 */
class UnalignedProcessKillTest {
    @TempDir
    Path dir;

    /**
     * @param parallelisms of each run, comma-separated: every run but the last is killed after a
     *        checkpoint with in-flight records; the last one runs to the end
     */
    @ParameterizedTest(name = "parallelisms {0}")
    @ValueSource(strings = {"2,1", "4,2,3"})
    @Timeout(value = 150, unit = TimeUnit.SECONDS)
    void givenACheckpointWithInFlightRecords_whenTheProcessIsKilledAndRerunAtAnotherParallelism_thenTheOutputEqualsAnUninterruptedRun(
            String parallelisms) throws Exception {
        Path out = dir.resolve("out");
        Path state = dir.resolve("state");
        FileSnapshotStore store = new FileSnapshotStore(state);
        String[] runs = parallelisms.split(",");
        for (int run = 0; run < runs.length - 1; run++) {
            long before = latestCheckpoint(store);
            Path log = dir.resolve("run-" + run + ".log");
            Process p = start(out, state, runs[run], log);
            try {
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> !p.isAlive()
                        || latestCheckpoint(store) > before && holdsInFlightRecords(store, latestCheckpoint(store)));
                assertTrue(p.isAlive(), "the run ended before it could be killed: " + Files.readString(log));
            } finally {
                p.destroyForcibly();
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            }
            // What the next run restores from, whether or not one more completed before the kill.
            long restored = latestCheckpoint(store);
            assertTrue(holdsInFlightRecords(store, restored), "chk-" + restored + " holds in-flight records");
        }
        Path log = dir.resolve("last.log");
        Process last = start(out, state, runs[runs.length - 1], log);
        try {
            assertTrue(last.waitFor(90, TimeUnit.SECONDS), "the last run finished");
            assertEquals(0, last.exitValue(), Files.readString(log));
        } finally {
            last.destroyForcibly();
        }

        assertEquals(uninterruptedRun(), CheckpointJobs.committedRows(out));
    }

    private List<String> uninterruptedRun() throws Exception {
        Path expected = dir.resolve("expected");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.submit(SlowSinkJob.pipeline(2, false, expected), JobOptions.DEFAULT).join();
        }
        List<String> rows = CheckpointJobs.committedRows(expected);
        assertEquals(SlowSinkJob.EVENTS, rows.size());
        return rows;
    }

    private static Process start(Path out, Path state, String parallelism, Path log) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(SlowSinkJob.class.getName());
        cmd.add(out.toString());
        cmd.add(state.toString());
        cmd.add(parallelism);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private static long latestCheckpoint(FileSnapshotStore store) throws IOException {
        List<Long> ids = LoadedCheckpoint.completedIds(store);
        return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
    }

    private static boolean holdsInFlightRecords(FileSnapshotStore store, long id) throws IOException {
        return UnalignedRescaleTest.holdsInFlightRecords(LoadedCheckpoint.load(store, "chk-" + id));
    }
}
