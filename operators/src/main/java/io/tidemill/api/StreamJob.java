package io.tidemill.api;

import java.util.List;

/**
 * A job a cluster can run: builds its pipeline from its arguments. Every node of the cluster calls
 * {@link #build} with the same arguments and must get the same pipeline (same operators, names,
 * parallelism and edges, in the same order); a node whose plan differs refuses the job, naming the
 * vertex. So the builder must not depend on the clock, random numbers or the host it runs on.
 *
 * <p>An implementation needs a public no-argument constructor.
 */
public interface StreamJob {
    Pipeline build(List<String> args) throws Exception;
}
