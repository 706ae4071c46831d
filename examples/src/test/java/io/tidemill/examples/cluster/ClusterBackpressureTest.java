package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.StreamJob;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.cluster.TidemillNode;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.net.DataPlane;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A slow sink on one node backpressures the sources on the others through the network exchange:
 * on every node, no channel ever holds more than its queue's capacity and no receiver has more
 * credits out than that (the exchange's own accounting), and the job completes with every record.
 */
class ClusterBackpressureTest {
    static final AtomicLong WRITTEN = new AtomicLong();
    static final long RECORDS = 300_000;

    /** Numbers from three source subtasks, rebalanced to one sink that takes ~2 µs a record. */
    public static final class SlowSinkJob implements StreamJob {
        @Override
        public Pipeline build(List<String> args) {
            Pipeline p = Pipeline.create().setName("slow-sink");
            List<Long> numbers = new java.util.ArrayList<>();
            for (long i = 0; i < RECORDS; i++) {
                numbers.add(i);
            }
            Sink<Long> slow = new Sink<>() {
                @Override
                public SinkWriter<Long> createWriter(int subtask, int parallelism) {
                    return (value, timestamp) -> {
                        if (WRITTEN.incrementAndGet() % 64 == 0) {
                            LockSupport.parkNanos(100_000);
                        }
                    };
                }

                @Override
                public boolean isBlocking() {
                    return true;
                }
            };
            p.fromCollection(numbers).setParallelism(3).rebalance().map(x -> x).setParallelism(3)
                    .rebalance().sinkTo(slow).setParallelism(1);
            return p;
        }
    }

    @Test
    void aSlowSinkOnOneNodeHoldsBackProducersOnOthersWithinTheirCredits() throws Exception {
        WRITTEN.set(0);
        try (ClusterKit kit = ClusterKit.start(3, 1)) {
            String id = kit.master().submit(new SubmitRequest(SlowSinkJob.class.getName(), List.of(), 3, null, 0,
                    null, 0, 0L, null));
            long[] sampled = new long[2];
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(5)).until(() -> {
                for (TidemillNode n : kit.nodes) {
                    DataPlane.Stats s = n.dataPlaneStats();
                    for (DataPlane.ChannelStats c : s.channels()) {
                        sampled[0]++;
                        assertTrue(c.queued() <= c.capacity(), () -> "channel over capacity: " + c);
                        assertTrue(c.credits() <= c.capacity(), () -> "credits over capacity: " + c);
                        if (c.inbound() && c.queued() == c.capacity()) {
                            sampled[1]++; // a full receiving queue: the producer had to wait
                        }
                    }
                }
                return kit.master().job(id).orElseThrow().status().equals("FINISHED");
            });
            assertEquals(RECORDS, WRITTEN.get(), "every record reached the sink");
            assertTrue(sampled[1] > 0, "the sink's queues were seen full (backpressure), samples: " + sampled[0]);
        }
    }
}
