package io.tidemill.local;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job's share of the cluster's snapshot I/O threads: runs its tasks on the shared pool, at most
 * {@code limit} at a time, in submission order. A job whose store hangs thus holds at most
 * {@code limit} threads and never delays another job's snapshot writes.
 */
public final class IoLane implements Executor {
    private static final Logger LOG = LoggerFactory.getLogger(IoLane.class);

    private final Executor pool;
    private final int limit;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    public IoLane(Executor pool, int limit) {
        this.pool = pool;
        this.limit = limit;
    }

    /** @throws RejectedExecutionException if the pool is shut down and no task of the lane is running */
    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (running == limit) {
                waiting.add(task);
                return;
            }
            running++;
        }
        try {
            pool.execute(() -> runFrom(task));
        } catch (RejectedExecutionException e) {
            synchronized (this) {
                running--;
            }
            throw e;
        }
    }

    /** Runs {@code first}, then what waits, on this thread: queued I/O still runs after a pool shutdown. */
    private void runFrom(Runnable first) {
        Runnable task = first;
        while (task != null) {
            try {
                task.run();
            } catch (Throwable t) {
                // A bug, or an Error such as running out of memory while encoding a snapshot: the
                // lane goes on (its checkpoint times out), as a pool would with a fresh thread.
                LOG.error("snapshot I/O task failed", t);
            }
            synchronized (this) {
                task = waiting.poll();
                if (task == null) {
                    running--;
                }
            }
        }
    }
}
