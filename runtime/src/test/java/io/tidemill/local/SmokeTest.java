package io.tidemill.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void countsPerKeyAndWindow() {
        List<Long> input = LongStream.range(0, 10_000).boxed().toList();
        for (int p : new int[] {1, 2, 4}) {
            Pipeline pipeline = Pipeline.create().setParallelism(p);
            CollectSink<String> sink = new CollectSink<>();
            pipeline.fromCollection(input, WatermarkStrategy.<Long>forMonotonousTimestamps()
                            .withTimestampAssigner((v, ts) -> v))
                    .map(v -> v)
                    .keyBy(v -> v % 7)
                    .window(TumblingWindows.eventTime(Duration.ofMillis(1000)))
                    .aggregate(Aggregates.count())
                    .map(c -> "" + c)
                    .sinkTo(sink);
            try (LocalCluster cluster = LocalCluster.start(2)) {
                cluster.execute(pipeline);
            }
            List<String> got = new ArrayList<>(sink.values());
            assertEquals(70, got.size(), "parallelism " + p);
        }
    }
}
