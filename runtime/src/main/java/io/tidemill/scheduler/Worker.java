package io.tidemill.scheduler;

import io.tidemill.task.ProgressState;
import io.tidemill.task.Tasklet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cooperative worker thread: calls its tasklets round robin. When a whole round makes no
 * progress it backs off (spin, yield, then park up to 1 ms), so an idle engine costs almost nothing
 * and a busy one never sleeps.
 */
final class Worker implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(Worker.class);
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final ConcurrentLinkedQueue<Tasklet> incoming = new ConcurrentLinkedQueue<>();
    private final List<Tasklet> tasks = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    Worker(String name) {
        thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void add(Tasklet t) {
        incoming.add(t);
        LockSupport.unpark(thread);
    }

    int load() {
        return tasks.size() + incoming.size();
    }

    /** Stops the thread after its current round; false if it did not end within {@code millis}. */
    boolean stop(long millis) throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(millis);
        return !thread.isAlive();
    }

    String name() {
        return thread.getName();
    }

    /**
     * A tasklet let something escape: it fails its job and leaves this worker, which goes on with
     * the others (a dead worker thread would leave all of them waiting forever).
     */
    private void abort(Tasklet t, Throwable cause) {
        LOG.error("task {} failed outside its own error handling; failing its job", t.name(), cause);
        try {
            t.abort(cause);
        } catch (Throwable e) {
            LOG.error("task {} could not be aborted: {}", t.name(), e.toString());
        }
    }

    @Override
    public void run() {
        int idleRounds = 0;
        while (running) {
            Tasklet t;
            while ((t = incoming.poll()) != null) {
                tasks.add(t);
            }
            if (tasks.isEmpty()) {
                LockSupport.park(this); // no task at all: sleep until add() or stop() unparks
                idleRounds = 0;
                continue;
            }
            boolean progress = false;
            for (int i = 0; i < tasks.size(); i++) {
                ProgressState s;
                try {
                    s = tasks.get(i).call();
                } catch (Throwable e) {
                    s = ProgressState.DONE;
                    abort(tasks.get(i), e);
                }
                if (s == ProgressState.DONE) {
                    tasks.remove(i--);
                    progress = true;
                } else if (s == ProgressState.MADE_PROGRESS) {
                    progress = true;
                }
            }
            if (progress) {
                idleRounds = 0;
            } else if (++idleRounds < 64) {
                Thread.onSpinWait();
            } else if (idleRounds < 128) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(Math.min(MAX_PARK_NANOS, 1_000L * (idleRounds - 127)));
            }
        }
    }
}
