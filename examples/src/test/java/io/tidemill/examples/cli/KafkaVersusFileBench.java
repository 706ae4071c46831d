package io.tidemill.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.cli.Tidemill;
import io.tidemill.connector.kafka.KafkaBroker;
import io.tidemill.connector.nexmark.NexmarkFileWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a test (off unless {@code -Dtidemill.bench=true}): q0 and q5 over the same events
 * read from a JSON-lines file and from a 4-partition Kafka topic, in one run, each query run in this JVM
 * through the {@code nexmark} command; the broker runs in this JVM too. Prints events/s and the ratio.
 *
 * <pre>
 * mvn -o -q test -pl examples -am -Dtest=KafkaVersusFileBench -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtidemill.bench=true -Dtidemill.bench.events=2000000
 * </pre>
 */
@EnabledIfSystemProperty(named = "tidemill.bench", matches = "true")
class KafkaVersusFileBench {
    @TempDir
    Path dir;

    @Test
    @Timeout(900)
    void q0AndQ5FromKafkaAgainstTheSameEventsFromAFile() throws Exception {
        long events = Long.getLong("tidemill.bench.events", 1_000_000);
        try (KafkaBroker broker = KafkaBroker.start()) {
            String topic = "kafka://" + broker.bootstrap() + "/events";
            Path file = dir.resolve("events.jsonl");
            NexmarkFileWriter.generate(events, 0, 42, file);
            assertEquals(0, Tidemill.run(List.of("nexmark", "generate", "--events", String.valueOf(events),
                    "--output", topic, "--partitions", "4")));
            StringBuilder report = new StringBuilder("\nNexmark from Kafka (broker in the same JVM) vs file, "
                    + events + " events, parallelism 2\n");
            for (String q : List.of("q0", "q5")) {
                for (int round = 0; round < 2; round++) { // the first round warms the JIT up
                    double fromFile = eventsPerSecond(events, q, file.toString(), round);
                    double fromKafka = eventsPerSecond(events, q, topic, round);
                    if (round == 1) {
                        report.append(String.format("%s  file %,.0f ev/s  kafka %,.0f ev/s  kafka/file %.2f%n", q,
                                fromFile, fromKafka, fromKafka / fromFile));
                    }
                }
            }
            System.out.println(report);
        }
    }

    private double eventsPerSecond(long events, String query, String input, int round) throws Exception {
        Path out = dir.resolve(query + "-" + round + "-" + Math.abs(input.hashCode()) + ".jsonl");
        long start = System.nanoTime();
        assertEquals(0, Tidemill.run(List.of("nexmark", "--query", query, "--input", input, "--output", out.toString(),
                "--parallelism", "2")));
        return events / ((System.nanoTime() - start) / 1e9);
    }
}
