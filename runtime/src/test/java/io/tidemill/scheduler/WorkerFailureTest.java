package io.tidemill.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.JobFailedException;
import io.tidemill.local.JobHandle;
import io.tidemill.local.LocalCluster;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.Output;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A failure escaping a task, even an {@link Error} from an operator's {@code close}, fails its job
 * with the cause and the operator named; the worker thread lives on and runs other jobs' tasks.
 */
@Timeout(60)
class WorkerFailureTest {
    static Stream<Named<Supplier<Throwable>>> failures() {
        return Stream.of(
                Named.of("an exception", () -> new IllegalStateException("close failed")),
                Named.of("an error", () -> new AssertionError("close failed")));
    }

    @ParameterizedTest(name = "close throws {0}")
    @MethodSource("failures")
    void aJobWhoseCloseThrowsFailsAndTheWorkerRunsTheNextJob(Supplier<Throwable> failure) throws Exception {
        // one worker thread: a dead worker would take every later task with it
        try (LocalCluster cluster = LocalCluster.start(1)) {
            // given a job whose operator throws when it closes
            Pipeline failing = Pipeline.create().setName("failing").setParallelism(2);
            failing.fromCollection(List.of(1L, 2L, 3L), WatermarkStrategy.<Long>noWatermarks())
                    .transform("closer", () -> new ThrowingOnClose(failure.get()))
                    .sinkTo(new CollectSink<>());
            JobHandle job = cluster.submit(failing);

            // then it fails with the cause, naming the operator
            ExecutionException e = assertThrows(ExecutionException.class, () -> job.result().get(30, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof JobFailedException, e.getCause().toString());
            String messages = messages(e);
            assertTrue(messages.contains("close failed"), messages);
            assertTrue(messages.contains("operator 'closer'"), messages);

            // and a second job on the same worker completes
            CollectSink<Long> sink = new CollectSink<>();
            Pipeline next = Pipeline.create().setName("next").setParallelism(2);
            next.fromCollection(LongStream.range(0, 1000).boxed().toList(), WatermarkStrategy.<Long>noWatermarks())
                    .map(v -> v + 1).sinkTo(sink);
            cluster.submit(next).result().get(30, TimeUnit.SECONDS);
            assertEquals(1000, sink.size());
        }
    }

    private static String messages(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c).append(" / ");
        }
        return s.toString();
    }

    /** Passes records on; its close throws what it was given. */
    static final class ThrowingOnClose implements Operator<Long, Long> {
        private final Throwable failure;
        private Output<Long> out;

        ThrowingOnClose(Throwable failure) {
            this.failure = failure;
        }

        @Override
        public void open(OperatorContext ctx, Output<Long> out) {
            this.out = out;
        }

        @Override
        public void processElement(Long value, long timestamp) {
            out.emit(value, timestamp);
        }

        @Override
        public void processWatermark(long watermark) {
            out.emitWatermark(watermark);
        }

        @Override
        public void close() throws Exception {
            if (failure instanceof Error error) {
                throw error;
            }
            throw (Exception) failure;
        }
    }
}
