package io.tidemill.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.api.sink.SinkWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileSinkTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    public record Row(long subtask, long n, String text) {}

    /** Writes {@code rows} rows per subtask, each subtask on its own thread, as the engine does. */
    private static void writeConcurrently(JsonLinesFileSink<Row> sink, int parallelism, int rows) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(parallelism);
        try {
            List<SinkWriter<Row>> writers = new ArrayList<>();
            for (int s = 0; s < parallelism; s++) {
                writers.add(sink.createWriter(s, parallelism));
            }
            List<Future<?>> done = new ArrayList<>();
            for (int s = 0; s < parallelism; s++) {
                int subtask = s;
                done.add(pool.submit(() -> {
                    SinkWriter<Row> w = writers.get(subtask);
                    for (int n = 0; n < rows; n++) {
                        // lines of varying length, some longer than a formatting buffer
                        w.write(new Row(subtask, n, "x\"é".repeat(n % 50 == 0 ? 5_000 : n % 40)), n);
                    }
                    w.finish();
                    w.close();
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    private static Map<String, Integer> linesOf(Path file) throws Exception {
        Map<String, Integer> counts = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            JsonNode row = JSON.readTree(line); // every line is one whole JSON object
            counts.merge(row.get("subtask").asLong() + "/" + row.get("n").asLong() + "/"
                    + row.get("text").asText().length(), 1, Integer::sum);
        }
        return counts;
    }

    private static Map<String, Integer> expected(int parallelism, int rows) {
        Map<String, Integer> counts = new HashMap<>();
        for (int s = 0; s < parallelism; s++) {
            for (int n = 0; n < rows; n++) {
                counts.merge(s + "/" + n + "/" + 3 * (n % 50 == 0 ? 5_000 : n % 40), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void subtasksShareOneFileWithWholeLinesAndNothingLost(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/rows.jsonl");
        JsonLinesFileSink<Row> sink = JsonLinesFileSink.toFile(file);
        writeConcurrently(sink, 3, 20_000);
        assertEquals(expected(3, 20_000), linesOf(file));

        // A second run (a restarted job) starts the file over.
        writeConcurrently(sink, 2, 1_000);
        assertEquals(expected(2, 1_000), linesOf(file));
    }

    @Test
    void writesOnePartFilePerSubtaskToADirectory(@TempDir Path dir) throws Exception {
        writeConcurrently(JsonLinesFileSink.toDirectory(dir), 2, 5_000);
        Map<String, Integer> all = new HashMap<>(linesOf(dir.resolve("part-0.jsonl")));
        linesOf(dir.resolve("part-1.jsonl")).forEach((k, v) -> all.merge(k, v, Integer::sum));
        assertEquals(expected(2, 5_000), all);
    }

    @Test
    @Timeout(30)
    void givenAWriterThatDoesNotFinish_whenClosed_thenNoFileIsLeftAndAnOlderOneStays(@TempDir Path dir)
            throws Exception {
        Path file = dir.resolve("rows.jsonl");
        Files.writeString(file, "older\n");
        SinkWriter<Row> w = JsonLinesFileSink.<Row>toFile(file).createWriter(0, 1);
        for (int n = 0; n < 10_000; n++) { // several chunks appended
            w.write(new Row(0, n, "x".repeat(40)), n);
        }
        assertEquals("older\n", Files.readString(file), "while writing, the name keeps its old content");

        w.close(); // without finish: the job failed or was stopped

        assertEquals("older\n", Files.readString(file));
        assertEquals(List.of("rows.jsonl"), names(dir));
    }

    @Test
    @Timeout(30)
    void givenWritersThatFinish_whenTheLastCloses_thenTheFileAppearsWhole(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("rows.jsonl");
        JsonLinesFileSink<Row> sink = JsonLinesFileSink.toFile(file);
        SinkWriter<Row> first = sink.createWriter(0, 2);
        SinkWriter<Row> second = sink.createWriter(1, 2);
        first.write(new Row(0, 1, "a"), 1);
        second.write(new Row(1, 2, "b"), 2);
        first.finish();
        first.close();
        second.finish();
        assertFalse(Files.exists(file), "not before the last writer closed");

        second.close();

        assertEquals(Map.of("0/1/1", 1, "1/2/1", 1), linesOf(file));
        assertEquals(List.of("rows.jsonl"), names(dir));
    }

    @Test
    @Timeout(30)
    void givenAPartWriterThatDoesNotFinish_whenClosed_thenNoPartIsLeft(@TempDir Path dir) throws Exception {
        SinkWriter<Row> w = JsonLinesFileSink.<Row>toDirectory(dir).createWriter(0, 1);
        for (int n = 0; n < 10_000; n++) {
            w.write(new Row(0, n, "x".repeat(40)), n);
        }

        w.close();

        assertEquals(List.of(), names(dir));
    }

    private static List<String> names(Path dir) throws Exception {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }
}
