package io.tidemill.scheduler;

import io.tidemill.task.Tasklet;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A fixed pool of cooperative worker threads sharing all tasks of all jobs. */
public final class CooperativeScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CooperativeScheduler.class);
    private final List<Worker> workers = new ArrayList<>();
    /** Threads of blocking tasks, each ending with its task; joined on close. */
    private final List<Worker> dedicated = new ArrayList<>();
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
                dedicated.removeIf(w -> !w.isAlive());
                Worker w = new Worker(namePrefix + "-blocking-" + (++dedicatedCount), true);
                w.add(t);
                w.start();
                dedicated.add(w);
                continue;
            }
            workers.get(next).add(t);
            next = (next + 1) % workers.size();
        }
    }

    public int threads() {
        return workers.size();
    }

    /** Stops every worker and joins it, the threads of blocking tasks too. */
    @Override
    public void close() throws InterruptedException {
        List<Worker> all = new ArrayList<>(workers);
        synchronized (this) {
            all.addAll(dedicated);
            dedicated.clear();
        }
        for (Worker w : all) {
            if (!w.stop(10_000)) {
                LOG.warn("worker thread {} did not stop within 10 s", w.name());
            }
        }
    }
}
