package io.tidemill.scheduler;

import io.tidemill.task.Tasklet;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two fixed pools of worker threads sharing all tasks of all jobs: cooperative workers (one per
 * core by default) run the tasks that never block, round robin; a small pool of blocking workers
 * runs, also round robin, the tasks whose calls may block (file and network sinks), so that a
 * blocking call delays other blocking tasks only, and a job at parallelism 300 does not start 300
 * threads.
 */
public final class CooperativeScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CooperativeScheduler.class);
    private final List<Worker> workers = new ArrayList<>();
    private final List<Worker> blockingWorkers = new ArrayList<>();
    private int next;
    private int nextBlocking;

    /** {@code threads} cooperative workers and as many blocking ones (at least 2). */
    public CooperativeScheduler(int threads, String namePrefix) {
        this(threads, Math.max(2, threads), namePrefix);
    }

    public CooperativeScheduler(int threads, int blockingThreads, String namePrefix) {
        if (threads <= 0 || blockingThreads <= 0) {
            throw new IllegalArgumentException("worker threads must be positive, was " + threads + " and "
                    + blockingThreads);
        }
        for (int i = 0; i < threads; i++) {
            Worker w = new Worker(namePrefix + "-worker-" + i);
            workers.add(w);
            w.start();
        }
        for (int i = 0; i < blockingThreads; i++) {
            Worker w = new Worker(namePrefix + "-blocking-" + i);
            blockingWorkers.add(w);
            w.start();
        }
    }

    /** Spreads tasks over workers round robin (so a job's subtasks land on different threads). */
    public synchronized void schedule(List<Tasklet> tasks) {
        for (Tasklet t : tasks) {
            if (t.isCooperative()) {
                workers.get(next).add(t);
                next = (next + 1) % workers.size();
            } else {
                blockingWorkers.get(nextBlocking).add(t);
                nextBlocking = (nextBlocking + 1) % blockingWorkers.size();
            }
        }
    }

    public int threads() {
        return workers.size();
    }

    /** Stops every worker, blocking ones too, and joins it. */
    @Override
    public void close() throws InterruptedException {
        List<Worker> all = new ArrayList<>(workers);
        all.addAll(blockingWorkers);
        for (Worker w : all) {
            if (!w.stop(10_000)) {
                LOG.warn("worker thread {} did not stop within 10 s", w.name());
            }
        }
    }
}
