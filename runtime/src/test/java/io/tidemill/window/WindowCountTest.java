package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Pipeline;
import io.tidemill.api.WindowCount;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code keyBy().window().count()} emits the key, the window and the count, at parallelism 2. */
@Timeout(60)
class WindowCountTest {
    /** A word at an event time. */
    record Word(String text, long ts) {}

    private static final WatermarkStrategy<Word> BY_TIME = WatermarkStrategy.<Word>forMonotonousTimestamps()
            .withTimestampAssigner((w, ts) -> w.ts());

    private static final List<Word> WORDS = List.of(
            new Word("tide", 100), new Word("mill", 200), new Word("tide", 900),
            new Word("tide", 1_500), new Word("mill", 4_000), new Word("mill", 4_300));

    private static List<WindowCount<String>> run(WindowAssigner windows) throws Exception {
        Pipeline p = Pipeline.create().setParallelism(2);
        CollectSink<WindowCount<String>> sink = new CollectSink<>();
        p.fromCollection(WORDS, BY_TIME).keyBy(Word::text).window(windows).count().sinkTo(sink);
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(p);
        }
        List<WindowCount<String>> rows = new ArrayList<>(sink.values());
        rows.sort(Comparator.comparing((WindowCount<String> c) -> c.key()).thenComparingLong(WindowCount::windowStart));
        return rows;
    }

    @Test
    void tumblingWindows_countPerKeyAndWindow() throws Exception {
        assertEquals(List.of(
                new WindowCount<>("mill", 0, 1_000, 1),
                new WindowCount<>("mill", 4_000, 5_000, 2),
                new WindowCount<>("tide", 0, 1_000, 2),
                new WindowCount<>("tide", 1_000, 2_000, 1)),
                run(TumblingWindows.eventTime(Duration.ofSeconds(1))));
    }

    @Test
    void sessionWindows_countPerKeyAndSession_withTheSessionsBounds() throws Exception {
        // a gap of 1 s: tide's three words form one session (100 .. 1500 + 1000), mill has two
        assertEquals(List.of(
                new WindowCount<>("mill", 200, 1_200, 1),
                new WindowCount<>("mill", 4_000, 5_300, 2),
                new WindowCount<>("tide", 100, 2_500, 3)),
                run(SessionWindows.eventTime(Duration.ofSeconds(1))));
    }
}
