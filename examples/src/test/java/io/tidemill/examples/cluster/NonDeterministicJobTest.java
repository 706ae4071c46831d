package io.tidemill.examples.cluster;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.StreamJob;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.cluster.api.JobDetails;
import io.tidemill.cluster.api.SubmitRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A job builder that builds a different pipeline each time is refused, naming the vertex that differs. */
class NonDeterministicJobTest {
    /** Names its map operator after how often it was built: every node builds another plan. */
    public static final class Drifting implements StreamJob {
        static final AtomicInteger BUILDS = new AtomicInteger();

        @Override
        public Pipeline build(List<String> args) {
            Pipeline p = Pipeline.create().setName("drifting");
            p.fromCollection(List.of(1L, 2L, 3L)).map(x -> x + 1).name("map-" + BUILDS.incrementAndGet())
                    .sinkTo(new CollectSink<>());
            return p;
        }
    }

    @Test
    void aJobWhosePlanDiffersBetweenBuildsFailsNamingTheVertex() throws Exception {
        try (ClusterKit kit = ClusterKit.start(1, 1)) {
            String id = kit.master().submit(new SubmitRequest(Drifting.class.getName(), List.of(), 1, null, 0, null,
                    3, 0L, null));
            await().atMost(Duration.ofSeconds(60)).until(() -> kit.master().job(id).orElseThrow().status()
                    .equals("FAILED"));
            JobDetails d = kit.master().job(id).orElseThrow();
            assertTrue(d.lastFailure().contains("not deterministic") && d.lastFailure().contains("map-"),
                    d.lastFailure());
            assertTrue(d.restarts() == 0, "a refused plan is not restarted: " + d.restarts());
        }
    }
}
