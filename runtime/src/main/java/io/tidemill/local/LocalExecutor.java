package io.tidemill.local;

import io.tidemill.api.JobResult;
import io.tidemill.api.Pipeline;
import io.tidemill.api.PipelineExecutor;

/** Runs {@link Pipeline#execute()} on a fresh embedded cluster that is shut down afterwards. */
public final class LocalExecutor implements PipelineExecutor {
    @Override
    public JobResult execute(Pipeline pipeline) {
        try (LocalCluster cluster = LocalCluster.start()) {
            return cluster.execute(pipeline);
        }
    }
}
