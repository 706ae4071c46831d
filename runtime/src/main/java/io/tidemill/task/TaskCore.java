package io.tidemill.task;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What stream and source tasks share: the life cycle around the chain. A task ends when its input
 * ended and every waiting batch went downstream, when it fails, or when the job is cancelled; in
 * every case its operators are closed exactly once and the job is told exactly once.
 */
abstract class TaskCore implements Tasklet {
    private static final Logger LOG = LoggerFactory.getLogger(TaskCore.class);

    final OperatorChain chain;
    final JobControl job;
    int index;
    private final String name;
    /** Input ended and END_OF_INPUT was sent; waiting for the overflow to drain. */
    boolean ended;
    private boolean done;

    TaskCore(OperatorChain chain, JobControl job, String name) {
        this.chain = chain;
        this.job = job;
        this.name = name;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final ProgressState call() {
        if (done) {
            return ProgressState.DONE;
        }
        if (job.isCancelled()) {
            return finish();
        }
        try {
            if (!chain.drain()) {
                return ProgressState.NO_PROGRESS;
            }
            if (ended) {
                return finish();
            }
            boolean progress = work();
            long now = chain.hasProcessingTimers() ? System.currentTimeMillis() : Long.MIN_VALUE;
            if (now != Long.MIN_VALUE && chain.fireProcessingTime(now)) {
                progress = true;
            }
            if (progress) {
                chain.flush();
                chain.drain();
            }
            return progress ? ProgressState.MADE_PROGRESS : ProgressState.NO_PROGRESS;
        } catch (Throwable t) {
            job.fail(t);
            return finish();
        }
    }

    /** Does a bounded amount of work; returns true if anything happened. */
    abstract boolean work() throws Exception;

    /** Releases what the task holds beyond its operators (source readers); returns the first failure. */
    Exception closeResources() {
        return null;
    }

    private ProgressState finish() {
        done = true;
        Exception closeFailure = chain.close();
        Exception resourceFailure = closeResources();
        if (closeFailure == null) {
            closeFailure = resourceFailure;
        }
        if (closeFailure != null && !job.isCancelled()) {
            job.fail(closeFailure);
        } else if (closeFailure != null) {
            LOG.debug("task {} failed to close after the job stopped: {}", name, closeFailure.toString());
        }
        job.reportWatermark(index, Long.MAX_VALUE);
        job.taskDone();
        return ProgressState.DONE;
    }
}
