package io.tidemill.scheduler;

import io.tidemill.task.ProgressState;
import io.tidemill.task.Tasklet;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A task as the workers see it. Invariant: a task is called by one thread at a time; a worker
 * claims the slot before the call and releases it after, so calls never overlap and each call
 * happens-after the previous one, whichever threads made them (the task's plain fields, its queue
 * ends included, stay consistent when it moves between workers).
 */
final class Slot {
    final Tasklet task;
    private final AtomicBoolean running = new AtomicBoolean();
    private volatile boolean done;

    Slot(Tasklet task) {
        this.task = task;
    }

    /** Calls the task unless another worker is calling it (then NO_PROGRESS) or it is done. */
    ProgressState tryCall() {
        if (done || !running.compareAndSet(false, true)) {
            return done ? ProgressState.DONE : ProgressState.NO_PROGRESS;
        }
        try {
            ProgressState s = task.call();
            if (s == ProgressState.DONE) {
                done = true;
            }
            return s;
        } finally {
            running.set(false);
        }
    }
}
