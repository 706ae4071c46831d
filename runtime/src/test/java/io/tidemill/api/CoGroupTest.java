package io.tidemill.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.CountTrigger;
import io.tidemill.window.GlobalWindows;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Window co-group: each key's records of both sides in a window, handed over together, with the
 * expected groups written out by hand. Inputs are in timestamp order, so nothing is late.
 */
@Timeout(60)
class CoGroupTest {
    record Click(String user, long ts) {}

    record View(String user, String page, long ts) {}

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void eachKeyAndWindowGetsBothSidesEvenWhenOneIsEmpty(int parallelism) {
        // Flink's CoGroupFunction is called for every key with records on either side in the
        // window, with an empty iterable for a side without any.
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        DataStream<Click> clicks = pipeline.fromCollection(List.of(
                new Click("ann", 1), new Click("ann", 4), new Click("bob", 6), new Click("ann", 12)),
                timestamps(Click::ts));
        DataStream<View> views = pipeline.fromCollection(List.of(
                new View("ann", "home", 2), new View("cat", "shop", 5), new View("ann", "cart", 15)),
                timestamps(View::ts));
        CollectSink<String> sink = new CollectSink<>();

        clicks.coGroup(views).where(Click::user).equalTo(View::user)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .<String>apply((cs, vs, out) -> {
                    String user = null;
                    long n = 0;
                    for (Click c : cs) {
                        user = c.user();
                        n++;
                    }
                    List<String> pages = new ArrayList<>();
                    for (View v : vs) {
                        user = v.user();
                        pages.add(v.page());
                    }
                    out.collect(user + " " + n + " clicks " + pages);
                })
                .sinkTo(sink);
        run(pipeline);

        assertEquals(List.of("ann 1 clicks [cart]", "ann 2 clicks [home]", "bob 1 clicks []", "cat 0 clicks [shop]"),
                sorted(sink.values()));
    }

    @Test
    void aCoGroupTakesATrigger() {
        // Flink's CoGroupedStreams.WithWindow.trigger: here a global window fired by every 2 records of a key.
        Pipeline pipeline = Pipeline.create();
        DataStream<Click> clicks = pipeline.fromCollection(List.of(new Click("ann", 1), new Click("ann", 3)),
                timestamps(Click::ts));
        DataStream<View> views = pipeline.fromCollection(List.of(new View("ann", "home", 2)), timestamps(View::ts));
        CollectSink<Integer> sink = new CollectSink<>();

        clicks.coGroup(views).where(Click::user).equalTo(View::user)
                .window(GlobalWindows.create()).trigger(CountTrigger.of(2))
                .<Integer>apply((cs, vs, out) -> {
                    int n = 0;
                    for (Click c : cs) {
                        n++;
                    }
                    for (View v : vs) {
                        n++;
                    }
                    out.collect(n);
                })
                .sinkTo(sink);
        run(pipeline);

        assertEquals(List.of(2), sink.values());
    }

    private static <T> WatermarkStrategy<T> timestamps(ToLongFunction<T> ts) {
        return WatermarkStrategy.<T>forMonotonousTimestamps().withTimestampAssigner((e, t) -> ts.applyAsLong(e));
    }

    private static void run(Pipeline pipeline) {
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(pipeline);
        }
    }

    private static List<String> sorted(List<String> values) {
        List<String> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }
}
