package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.cli.Tidemill;
import io.tidemill.connector.kafka.KafkaBroker;
import io.tidemill.connector.nexmark.NexmarkFileWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Exactly-once end to end over Kafka: {@code nexmark} from a topic to a topic, as a child JVM, killed
 * with SIGKILL at random moments after a checkpoint completed and rerun with the same arguments until it
 * finishes; a {@code read_committed} read of the output topic holds exactly the rows of an uninterrupted
 * run over the same events from a file, and the dead-letter topic exactly the malformed records. The
 * last run is at parallelism 1: the sink's recovery takes over both old subtasks' transactional ids.
 * The broker runs in the test JVM, so only Tidemill dies.
 */
class KafkaProcessKillTest {
    private static final int KILLS = 3;
    private static final int BAD_RECORDS = 40;

    @TempDir
    Path dir;

    @Test
    @Timeout(240)
    void givenAKafkaToKafkaRunIsKilledRepeatedly_whenRerunUntilItFinishes_thenReadCommittedSeesEachRowOnce()
            throws Exception {
        try (KafkaBroker broker = KafkaBroker.start()) {
            String kafka = "kafka://" + broker.bootstrap() + "/";
            Path events = dir.resolve("events.jsonl");
            NexmarkFileWriter.generate(150_000, 3000, 7, events);
            assertEquals(0, Tidemill.run(List.of("nexmark", "generate", "--events", "150000", "--disorder", "3000",
                    "--seed", "7", "--output", kafka + "events", "--partitions", "4")));
            for (int i = 0; i < BAD_RECORDS; i++) {
                broker.write("events", i % 4, List.of("{\"type\":\"bid\",\"broken\":" + i), List.of(1000L));
            }
            Path expectedFile = dir.resolve("expected.jsonl");
            assertEquals(0, Tidemill.run(List.of("nexmark", "--query", "q5", "--input", events.toString(),
                    "--output", expectedFile.toString(), "--parallelism", "2")));

            Path state = dir.resolve("state");
            List<String> args = List.of("nexmark", "--query", "q5", "--input", kafka + "events", "--output",
                    kafka + "out", "--state-dir", state.toString(), "--checkpoint-interval", "100ms",
                    "--parallelism", "2", "--rate", "12500");
            // 12 s of input in all: a restored run must not reach the end before its wanted checkpoint
            // (at 25k events/s a loaded machine, with checkpoints of 300+ ms, sometimes did)
            for (int kill = 0; kill < KILLS; kill++) {
                long before = TidemillProcess.latestCheckpoint(state);
                long wanted = before + 1 + ThreadLocalRandom.current().nextInt(3);
                Path log = dir.resolve("run-" + kill + ".log");
                try (TidemillProcess run = TidemillProcess.start(args, log)) {
                    Process p = run.process();
                    await().atMost(Duration.ofSeconds(60))
                            .until(() -> TidemillProcess.latestCheckpoint(state) >= wanted || !p.isAlive());
                    assertTrue(p.isAlive(), "the run ended before it could be killed: " + Files.readString(log));
                    run.kill();
                }
            }
            Path last = dir.resolve("last.log");
            List<String> rescaled = new ArrayList<>(args);
            rescaled.set(rescaled.indexOf("--parallelism") + 1, "1");
            try (TidemillProcess run = TidemillProcess.start(rescaled, last)) {
                assertTrue(run.process().waitFor(90, TimeUnit.SECONDS), "the last run did not finish");
                assertEquals(0, run.process().exitValue(), Files.readString(last));
            }

            List<String> expected = new ArrayList<>(Files.readAllLines(expectedFile));
            expected.sort(null);
            assertTrue(expected.size() > 10, "the query produced rows: " + expected.size());
            List<String> committed = broker.readCommitted("out");
            committed.sort(null);
            assertEquals(expected, committed);
            List<String> deadLetters = broker.readCommitted("out.dead-letter");
            assertEquals(BAD_RECORDS, deadLetters.size(), String.join("\n", deadLetters));
            assertEquals(BAD_RECORDS, deadLetters.stream().distinct().count());
            assertTrue(deadLetters.get(0).contains("\"file\":\"events-"), deadLetters.get(0));
        }
    }
}
