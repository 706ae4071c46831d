package io.tidemill.scheduler;

import io.tidemill.task.Tasklet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fixed pool of cooperative worker threads sharing all tasks of all jobs.
 *
 * <p>Each cooperative task has a home worker (round robin), which calls it in turn with its other
 * tasks. A worker whose own tasks made no progress in a round helps: it calls other workers' tasks
 * that are not running (work stealing), so a static assignment that happens to put two busy tasks
 * on one thread and a starved one on another does not leave a core idle. A task runs on one thread
 * at a time (see {@link Slot}).
 */
public final class CooperativeScheduler implements AutoCloseable {
    private final List<Worker> workers = new ArrayList<>();
    /** Every cooperative task not yet done, for workers looking for work to steal. */
    private final CopyOnWriteArrayList<Slot> all = new CopyOnWriteArrayList<>();
    private int next;
    private final String namePrefix;
    private int dedicatedCount;

    public CooperativeScheduler(int threads, String namePrefix) {
        this.namePrefix = namePrefix;
        if (threads <= 0) {
            throw new IllegalArgumentException("worker threads must be positive, was " + threads);
        }
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker(namePrefix + "-worker-" + i, all);
            workers.add(w);
            w.start();
        }
    }

    /** Spreads tasks over workers round robin (so a job's subtasks land on different threads). */
    public synchronized void schedule(List<Tasklet> tasks) {
        List<Slot> slots = new ArrayList<>();
        for (Tasklet t : tasks) {
            if (!t.isCooperative()) {
                Worker dedicated = new Worker(namePrefix + "-blocking-" + (++dedicatedCount), null);
                dedicated.add(new Slot(t));
                dedicated.start();
                continue;
            }
            slots.add(new Slot(t));
        }
        all.addAll(slots);
        for (Slot s : slots) {
            workers.get(next).add(s);
            next = (next + 1) % workers.size();
        }
    }

    public int threads() {
        return workers.size();
    }

    @Override
    public void close() throws InterruptedException {
        for (Worker w : workers) {
            w.stop();
        }
    }
}
