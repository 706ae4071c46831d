package io.tidemill.scheduler;

import io.tidemill.task.Tasklet;
import java.util.ArrayList;
import java.util.List;

/** A fixed pool of cooperative worker threads sharing all tasks of all jobs. */
public final class CooperativeScheduler implements AutoCloseable {
    private final List<Worker> workers = new ArrayList<>();
    private int next;
    private final String namePrefix;
    private int dedicatedCount;

    public CooperativeScheduler(int threads, String namePrefix) {
        this.namePrefix = namePrefix;
        if (threads <= 0) {
            throw new IllegalArgumentException("worker threads must be positive, was " + threads);
        }
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker(namePrefix + "-worker-" + i);
            workers.add(w);
            w.start();
        }
    }

    /** Spreads tasks over workers round robin (so a job's subtasks land on different threads). */
    public synchronized void schedule(List<Tasklet> tasks) {
        for (Tasklet t : tasks) {
            if (!t.isCooperative()) {
                Worker dedicated = new Worker(namePrefix + "-blocking-" + (++dedicatedCount), true);
                dedicated.add(t);
                dedicated.start();
                continue;
            }
            workers.get(next).add(t);
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
