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

    /** For logs and thread dumps. */
    String name();
}
