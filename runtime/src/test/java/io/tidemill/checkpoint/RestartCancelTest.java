package io.tidemill.checkpoint;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.local.JobHandle;
import io.tidemill.local.JobOptions;
import io.tidemill.local.LocalCluster;
import io.tidemill.local.RestartStrategy;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RestartCancelTest {
    @Test
    void givenAJobWaitingToRestart_whenCancelled_thenItDoesNotRestartAndEnds() {
        AtomicBoolean failed = new AtomicBoolean();
        Pipeline p = Pipeline.create().setName("restart-cancel").setParallelism(1);
        p.fromSource(GeneratorSource.unbounded(10_000, i -> i), io.tidemill.watermark.WatermarkStrategy.noWatermarks(),
                        "numbers")
                .map(i -> {
                    if (i == 500 && failed.compareAndSet(false, true)) {
                        throw new IllegalStateException("injected");
                    }
                    return i;
                })
                .sinkTo(new CollectSink<>());
        try (LocalCluster cluster = LocalCluster.start(2)) {
            JobHandle job = cluster.submit(p, JobOptions.DEFAULT.withRestart(
                    RestartStrategy.fixedDelay(3, Duration.ofSeconds(1))));
            await().atMost(Duration.ofSeconds(10)).until(() -> job.restarts() == 1);

            job.cancel();

            // A future completed with a CancellationException rethrows it as is.
            assertThrows(CancellationException.class, () -> job.result().get(5, TimeUnit.SECONDS));
            assertTrue(job.restarts() == 1, "no further restart");
        }
    }
}
