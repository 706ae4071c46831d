package io.tidemill.task;

/**
 * A unit of cooperative work: each call does a bounded amount of work without blocking and returns.
 * A worker thread calls its tasklets round robin until they report {@link ProgressState#DONE}.
 */
public interface Tasklet {
    ProgressState call();

    /** False for tasks that may block: they run on a thread of their own, not a cooperative worker. */
    default boolean isCooperative() {
        return true;
    }

    /**
     * Something escaped {@link #call()} (a defect, or an {@link Error}): the worker drops this
     * tasklet and calls this once, so that its job fails with {@code cause} instead of waiting for
     * it forever. Must not throw.
     */
    void abort(Throwable cause);

    /** For logs and thread dumps. */
    String name();
}
