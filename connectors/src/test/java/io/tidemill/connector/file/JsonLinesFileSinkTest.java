package io.tidemill.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
