package io.tidemill.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.bench.baseline.Baseline;
import io.tidemill.connector.nexmark.GeneratorConfig;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.NexmarkFileReader;
import io.tidemill.connector.nexmark.NexmarkFileWriter;
import io.tidemill.examples.nexmark.NexmarkQueries;
import io.tidemill.local.LocalCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every Nexmark example job gives the same rows as the single-threaded baseline, at parallelism 1, 2
 * and 4, on a generated file that is out of order (but never late).
 */
class QueryParityTest {
    private static final long EVENTS = 50_000;
    private static final long DISORDER_MS = 3_000;
    /** 200 events per second of event time: 250 s of events, so many windows and sessions close. */
    private static final GeneratorConfig CONFIG =
            new GeneratorConfig(42, GeneratorConfig.DEFAULT_FIRST_EVENT_TIME, 200);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<NexmarkEvent> events;
    private static LocalCluster cluster;

    @BeforeAll
    static void generateEvents() throws IOException {
        Path file = Files.createTempFile("nexmark-parity", ".jsonl");
        try {
            NexmarkFileWriter.write(CONFIG, EVENTS, DISORDER_MS, file);
            events = new ArrayList<>();
            NexmarkFileReader.read(file, new NexmarkFileReader.Listener() {
                @Override
                public void onEvent(NexmarkEvent event) {
                    events.add(event);
                }

                @Override
                public void onMalformed(long lineNumber, String line, String reason) {
                    throw new IllegalStateException("generated line " + lineNumber + " is malformed: " + reason);
                }
            });
        } finally {
            Files.delete(file);
        }
        cluster = LocalCluster.start(2);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q11"})
    void matchesBaselineAtAnyParallelism(String query) {
        List<String> expected = sorted(Baseline.runToLines(query, events.iterator()));
        for (int parallelism : new int[] {1, 2, 4}) {
            assertEquals(expected, sorted(runTidemill(query, parallelism)), query + " at parallelism " + parallelism);
        }
    }

    private static List<String> runTidemill(String query, int parallelism) {
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        DataStream<NexmarkEvent> input = pipeline.fromCollection(events, NexmarkQueries.watermarkStrategy());
        CollectSink<String> sink = new CollectSink<>();
        NexmarkQueries.build(query, input).map(QueryParityTest::toJson).sinkTo(sink);
        cluster.execute(pipeline);
        return sink.values();
    }

    private static String toJson(Object row) {
        try {
            return JSON.writeValueAsString(row);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        copy.sort(null);
        return copy;
    }
}
