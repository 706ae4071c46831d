package io.tidemill.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.graph.InvalidPipelineException;
import io.tidemill.local.LocalCluster;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Blocking sinks run on a bounded pool of threads, not one thread per subtask; a parallelism above
 * the max parallelism is refused when the job is submitted, naming the operator.
 */
@Timeout(60)
class BlockingPoolTest {
    @Test
    void a128WayBlockingSinkRunsOnTheBlockingPoolOnly() {
        Set<String> writerThreads = ConcurrentHashMap.newKeySet();
        AtomicLong written = new AtomicLong();
        Pipeline p = Pipeline.create().setParallelism(128);
        p.fromCollection(LongStream.range(0, 20_000).boxed().toList(), WatermarkStrategy.<Long>noWatermarks())
                .map(v -> v * 2)
                .sinkTo(new Sink<Long>() {
                    @Override
                    public boolean isBlocking() {
                        return true;
                    }

                    @Override
                    public SinkWriter<Long> createWriter(int subtask, int parallelism) {
                        return (value, timestamp) -> {
                            writerThreads.add(Thread.currentThread().getName());
                            written.incrementAndGet();
                        };
                    }
                });

        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(p);
        }

        assertEquals(20_000, written.get());
        assertTrue(writerThreads.size() <= 2, "128 sink subtasks wrote from " + writerThreads);
        writerThreads.forEach(t -> assertTrue(t.startsWith("tidemill-blocking-"), t));
    }

    @Test
    void aParallelismAboveTheMaxParallelismIsRefused() {
        Pipeline p = Pipeline.create().setParallelism(1000);
        p.fromCollection(List.of(1L, 2L), WatermarkStrategy.<Long>noWatermarks()).map(v -> v).name("doubling")
                .setParallelism(200).print();
        try (LocalCluster cluster = LocalCluster.start(2)) {
            InvalidPipelineException e = assertThrows(InvalidPipelineException.class, () -> cluster.submit(p));
            assertTrue(e.getMessage().contains("the pipeline's parallelism 1000 is higher than the max parallelism "
                    + "128"), e.getMessage());
            assertTrue(e.getMessage().contains("operator 'doubling': parallelism 200 is higher than the max "
                    + "parallelism 128"), e.getMessage());
        }
    }

    @Test
    void aHigherMaxParallelismAllowsAHigherParallelism() {
        AtomicLong written = new AtomicLong();
        Pipeline p = Pipeline.create().setParallelism(300).setMaxParallelism(512);
        p.fromCollection(LongStream.range(0, 3000).boxed().toList(), WatermarkStrategy.<Long>noWatermarks())
                .keyBy(v -> v % 7)
                .reduce(Long::sum)
                .sinkTo((subtask, parallelism) -> (value, timestamp) -> written.incrementAndGet());
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(p);
        }
        assertEquals(3000, written.get());
    }
}
