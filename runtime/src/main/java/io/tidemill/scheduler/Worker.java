package io.tidemill.scheduler;

import io.tidemill.task.ProgressState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;

/**
 * One cooperative worker thread: calls its tasklets round robin. When a whole round of its own
 * tasks makes no progress it tries the other workers' tasks once (see {@link CooperativeScheduler});
 * when that finds nothing either it backs off (spin, yield, then park up to 1 ms), so an idle engine
 * costs almost nothing and a busy one never sleeps.
 */
final class Worker implements Runnable {
    private static final long MAX_PARK_NANOS = 1_000_000;

    private final ConcurrentLinkedQueue<Slot> incoming = new ConcurrentLinkedQueue<>();
    private final List<Slot> tasks = new ArrayList<>();
    /** Every cooperative task of the scheduler, to help with; null for a dedicated worker. */
    private final List<Slot> shared;
    private final Thread thread;
    private volatile boolean running = true;
    private int stealFrom;

    /** A dedicated worker ({@code shared == null}) runs one blocking task and ends with it. */
    Worker(String name, List<Slot> shared) {
        this.shared = shared;
        thread = new Thread(this, name);
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void add(Slot t) {
        incoming.add(t);
        LockSupport.unpark(thread);
    }

    void stop() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(10_000);
    }

    @Override
    public void run() {
        int idleRounds = 0;
        while (running) {
            Slot t;
            while ((t = incoming.poll()) != null) {
                tasks.add(t);
            }
            boolean progress = false;
            for (int i = 0; i < tasks.size(); i++) {
                ProgressState s = tasks.get(i).tryCall();
                if (s == ProgressState.DONE) {
                    Slot done = tasks.remove(i--);
                    if (shared != null) {
                        shared.remove(done);
                    }
                    progress = true;
                } else if (s == ProgressState.MADE_PROGRESS) {
                    progress = true;
                }
            }
            if (shared == null && tasks.isEmpty() && incoming.isEmpty()) {
                return;
            }
            if (!progress && shared != null) {
                progress = helpOthers();
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

    /** Calls each task of the other workers once, starting where the last search stopped. */
    private boolean helpOthers() {
        Object[] all = shared.toArray();
        boolean progress = false;
        for (int n = 0; n < all.length; n++) {
            if (++stealFrom >= all.length) {
                stealFrom = 0;
            }
            Slot s = (Slot) all[stealFrom];
            if (!tasks.contains(s) && s.tryCall() == ProgressState.MADE_PROGRESS) {
                progress = true;
            }
        }
        return progress;
    }
}
