package io.tidemill.api;

/** Runs pipelines; the runtime module provides the embedded local cluster as one. */
public interface PipelineExecutor {
    JobResult execute(Pipeline pipeline);
}
