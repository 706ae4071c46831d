package io.tidemill.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.api.Pipeline;
import io.tidemill.api.source.RateLimitedSource;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import io.tidemill.connector.file.DeadLetters;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.connector.file.JsonLinesFileSource;
import io.tidemill.connector.file.MalformedLineException;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import io.tidemill.watermark.WatermarkStrategy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Failure injection over a file with malformed lines: a function after the file source throws at
 * random records; with restarts from the latest checkpoint, the dead letters are committed exactly
 * once (each bad line once, none lost) and their count agrees with the files.
 */
class DeadLetterRecoveryTest {
    /** 16-byte lines: 3.2 MB, cut into several splits. */
    private static final int LINES = 200_000;
    private static final int BAD_EVERY = 2_000;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {2, 3})
    void givenRandomFailures_whenTheJobRestartsFromCheckpoints_thenEveryDeadLetterIsCommittedOnce(int parallelism)
            throws Exception {
        Path input = dir.resolve("in.txt");
        List<Long> badLines = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            if (i % BAD_EVERY == 7) {
                text.append(String.format("bad-%010d%n", i));
                badLines.add(i + 1L);
            } else {
                text.append(String.format("%015d%n", i));
            }
        }
        Files.writeString(input, text);
        DeadLetters deadLetters = DeadLetters.exactlyOnce(dir.resolve("dead"));
        AtomicInteger failures = new AtomicInteger(4);
        Pipeline p = Pipeline.create().setParallelism(parallelism);
        // Rate limited, so that checkpoints complete between the failures.
        p.fromSource(new RateLimitedSource<>(new JsonLinesFileSource<>(input, () -> DeadLetterRecoveryTest::number,
                        deadLetters), 150_000), WatermarkStrategy.<Long>noWatermarks(), "numbers")
                .map(n -> {
                    if (failures.get() > 0 && ThreadLocalRandom.current().nextInt(10_000) == 0
                            && failures.getAndDecrement() > 0) {
                        throw new IllegalStateException("injected failure at " + n);
                    }
                    return n;
                })
                .sinkTo(new ExactlyOnceFileSink<>(dir.resolve("out")));
        JobOptions options = JobOptions.checkpointed(CheckpointConfig.every(Duration.ofMillis(20)),
                        new FileSnapshotStore(dir.resolve("state")))
                .withRestart(RestartStrategy.fixedDelay(20, Duration.ofMillis(20)));

        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p, options);
            job.join();
            assertTrue(job.restarts() >= 1, "the job restarted, restarts=" + job.restarts());
            assertTrue(job.completedCheckpoints().size() >= 1, "checkpoints completed");
        }

        List<Long> committed = committedLineNumbers(dir.resolve("dead"));
        assertEquals(badLines, committed);
        assertEquals(badLines.size(), deadLetters.count());
    }

    private static long number(byte[] buf, int off, int len) {
        String s = new String(buf, off, len, StandardCharsets.US_ASCII);
        if (s.startsWith("bad")) {
            throw new MalformedLineException("not a number");
        }
        return Long.parseLong(s);
    }

    /** The {@code line} of every committed dead letter, sorted. */
    private static List<Long> committedLineNumbers(Path directory) throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Long> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : files.filter(f -> !f.getFileName().toString().startsWith(".")).toList()) {
                for (String l : Files.readAllLines(f)) {
                    lines.add(json.readTree(l).get("line").asLong());
                }
            }
        }
        lines.sort(null);
        return lines;
    }
}
