package io.tidemill.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.StreamJob;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.cluster.api.JobDetails;
import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.net.DataPlane;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two real nodes in this JVM run a job whose rebalanced edges cross between them through the data
 * plane, with checkpoints of each mode taken while a slow sink backpressures the sources: every record
 * arrives exactly once, without a restart.
 */
class TwoNodeExchangeTest {
    static final long RECORDS = 200_000;
    static final AtomicLong COUNT = new AtomicLong();
    static final AtomicLong SUM = new AtomicLong();

    /** Numbers from two source subtasks, rebalanced through a map to two sinks that take ~1 µs a record. */
    public static final class RebalancedJob implements StreamJob {
        @Override
        public Pipeline build(List<String> args) {
            List<Long> numbers = new ArrayList<>();
            for (long i = 0; i < RECORDS; i++) {
                numbers.add(i);
            }
            Sink<Long> sink = new Sink<>() {
                @Override
                public SinkWriter<Long> createWriter(int subtask, int parallelism) {
                    return (value, timestamp) -> {
                        SUM.addAndGet(value);
                        if (COUNT.incrementAndGet() % 128 == 0) {
                            LockSupport.parkNanos(100_000);
                        }
                    };
                }

                @Override
                public boolean isBlocking() {
                    return true;
                }
            };
            Pipeline p = Pipeline.create().setName("rebalanced");
            p.fromCollection(numbers).setParallelism(2).rebalance().map(x -> x * 2).setParallelism(2)
                    .rebalance().sinkTo(sink).setParallelism(2);
            return p;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"exactly-once", "unaligned", "at-least-once"})
    @Timeout(150)
    void aJobAcrossTwoNodesGetsEveryRecordOnceWithCheckpoints(String mode) throws Exception {
        COUNT.set(0);
        SUM.set(0);
        List<TidemillNode> nodes = TwoNodes.start();
        try {
            TidemillNode master = nodes.stream().filter(TidemillNode::isMaster).findFirst().orElseThrow();
            String id = master.submit(new SubmitRequest(RebalancedJob.class.getName(), List.of(), 2, null, 20,
                    mode, 0, 0L, null));
            long[] remoteItems = new long[1];
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                for (TidemillNode n : nodes) {
                    for (DataPlane.ChannelStats c : n.dataPlaneStats().channels()) {
                        assertTrue(c.queued() <= c.capacity() && c.credits() <= c.capacity(), c::toString);
                        remoteItems[0] = Math.max(remoteItems[0], c.items());
                    }
                }
                JobDetails d = master.job(id).orElseThrow();
                if (d.status().equals("FAILED")) {
                    throw new AssertionError("job failed: " + d.lastFailure());
                }
                return d.status().equals("FINISHED");
            });
            assertEquals(RECORDS, COUNT.get(), "records at the sinks");
            assertEquals(RECORDS * (RECORDS - 1), SUM.get(), "sum of the doubled numbers");
            assertTrue(remoteItems[0] > 0, "items crossed the data plane");
            JobDetails done = master.job(id).orElseThrow();
            assertTrue(done.endTime() >= done.startTime() && done.endTime() <= System.currentTimeMillis(),
                    "the end time of a finished job: " + done);
        } finally {
            TwoNodes.close(nodes);
        }
    }
}
