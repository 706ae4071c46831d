package io.tidemill.exchange;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.local.JobHandle;
import io.tidemill.local.LocalCluster;
import io.tidemill.task.TaskBuilder;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A fast source feeding a slow sink through a bounded exchange: the source is held back by the full
 * queues, so the records in flight (read by the source, not yet written by the sink) stay below what
 * the channels can hold, and memory stays bounded however long the job runs.
 */
class BackpressureTest {
    /**
     * One source subtask, alone on its worker thread so that nothing but the full queues can hold it
     * back, and two sink subtasks on the two other workers.
     */
    private static final int SOURCES = 1;
    private static final int SINKS = 2;
    private static final int WORKERS = SOURCES + SINKS;
    private static final TaskBuilder.Config CONFIG = TaskBuilder.Config.DEFAULT;

    /**
     * What can be between the source's count and the sinks': per channel, a full queue, one batch
     * waiting in the overflow and one being filled; per sink subtask the batch being written; per
     * source subtask one read of at most a batch. Doubled, for slack in the estimate.
     */
    private static final long MAX_IN_FLIGHT = 2L * CONFIG.batchSize()
            * ((CONFIG.queueCapacity() + 2L) * SOURCES * SINKS + SINKS + SOURCES);

    @Test
    void slowSinkHoldsBackAnUnboundedSourceSoRecordsInFlightStayBounded() {
        // given an unthrottled source, a rebalancing exchange and a sink taking ~20 µs per record
        SlowSink sink = new SlowSink(20_000);
        Pipeline pipeline = Pipeline.create().setParallelism(SINKS);
        pipeline.fromGenerator(GeneratorSource.unbounded(0, i -> i), WatermarkStrategy.noWatermarks())
                .setParallelism(SOURCES)
                .rebalance()
                .sinkTo(sink);

        try (LocalCluster cluster = LocalCluster.start(WORKERS, CONFIG)) {
            // when the job runs for a while
            JobHandle job = cluster.submit(pipeline);
            await().atMost(Duration.ofSeconds(5)).until(() -> sink.written.get() > 10_000);

            // then the source never runs ahead of the sink by more than the channels hold...
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(4))
                    .pollInterval(Duration.ofMillis(20))
                    .until(() -> inFlight(job, sink) <= MAX_IN_FLIGHT);
            assertTrue(sink.written.get() > 20_000, "the sink kept receiving records: " + sink.written.get());
            // ...and what stays live on the heap is small (unchecked, the source would fill it in a second)
            System.gc();
            assertTrue(usedHeap() < 256L << 20, "heap used after GC: " + (usedHeap() >> 20) + " MB");

            // when cancelled, then the job ends
            job.cancel();
            await().atMost(Duration.ofSeconds(5)).until(() -> job.result().isDone());
            assertThrows(CancellationException.class, job::join);
        }
    }

    @Test
    void boundedJobThroughASlowSinkDeliversEveryRecordExactlyOnce() {
        // given a bounded source much larger than the exchange's capacity, and a slow sink
        int records = 50_000;
        SlowSink sink = new SlowSink(2_000);
        Pipeline pipeline = Pipeline.create().setParallelism(SINKS);
        pipeline.fromGenerator(GeneratorSource.bounded(records, i -> i), WatermarkStrategy.noWatermarks())
                .setParallelism(SOURCES)
                .rebalance()
                .sinkTo(sink);

        // when
        try (LocalCluster cluster = LocalCluster.start(WORKERS, CONFIG)) {
            cluster.execute(pipeline);
        }

        // then
        assertEquals(records, sink.written.get());
        BitSet seen = sink.seen();
        assertEquals(records, seen.cardinality());
        assertEquals(records, seen.nextClearBit(0));
    }

    /** Reads the sink's count before the source's, so the difference can only over-estimate. */
    private static long inFlight(JobHandle job, SlowSink sink) {
        long out = sink.written.get();
        return job.recordsIn() - out;
    }

    private static long usedHeap() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Busy-waits the given time per record (a park would sleep far longer than 20 µs). */
    private static final class SlowSink implements Sink<Long> {
        final AtomicLong written = new AtomicLong();
        private final long nanosPerRecord;
        private final BitSet seen = new BitSet();

        SlowSink(long nanosPerRecord) {
            this.nanosPerRecord = nanosPerRecord;
        }

        BitSet seen() {
            synchronized (seen) {
                return (BitSet) seen.clone();
            }
        }

        @Override
        public SinkWriter<Long> createWriter(int subtask, int parallelism) {
            return (value, timestamp) -> {
                long until = System.nanoTime() + nanosPerRecord;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                if (value < Integer.MAX_VALUE) {
                    synchronized (seen) {
                        seen.set(value.intValue());
                    }
                }
                written.incrementAndGet();
            };
        }
    }
}
