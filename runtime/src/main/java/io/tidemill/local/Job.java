package io.tidemill.local;

import io.tidemill.api.JobResult;
import io.tidemill.task.JobControl;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/** A running job: counts its live tasks, records the first failure, completes when all tasks end. */
final class Job implements JobControl, JobHandle {
    private final String name;
    private final long startNanos = System.nanoTime();
    private final AtomicInteger liveTasks = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final LongAdder recordsIn = new LongAdder();
    private final LongAdder late = new LongAdder();
    private final CompletableFuture<JobResult> result = new CompletableFuture<>();
    private volatile boolean cancelled;
    private volatile boolean cancelRequested;
    private volatile AtomicLongArray watermarks = new AtomicLongArray(0);

    Job(String name) {
        this.name = name;
    }

    void expectTasks(int n) {
        AtomicLongArray w = new AtomicLongArray(n);
        for (int i = 0; i < n; i++) {
            w.set(i, Long.MIN_VALUE);
        }
        watermarks = w;
        liveTasks.set(n);
        if (n == 0) {
            result.complete(summary());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void fail(Throwable cause) {
        failure.compareAndSet(null, cause);
        cancelled = true;
    }

    @Override
    public void taskDone() {
        if (liveTasks.decrementAndGet() == 0) {
            Throwable t = failure.get();
            if (t != null) {
                result.completeExceptionally(new JobFailedException(name, t));
            } else if (cancelRequested) {
                result.completeExceptionally(new CancellationException("job '" + name + "' was cancelled"));
            } else {
                result.complete(summary());
            }
        }
    }

    @Override
    public void countRecordsIn(long n) {
        recordsIn.add(n);
    }

    @Override
    public void countLateRecord() {
        late.increment();
    }

    private JobResult summary() {
        return new JobResult(name, Duration.ofNanos(System.nanoTime() - startNanos), recordsIn.sum(), late.sum());
    }

    @Override
    public CompletableFuture<JobResult> result() {
        return result;
    }

    @Override
    public void cancel() {
        cancelRequested = true;
        cancelled = true;
    }

    @Override
    public void reportWatermark(int task, long watermark) {
        AtomicLongArray w = watermarks;
        if (task < w.length()) {
            w.set(task, watermark);
        }
    }

    @Override
    public long watermark() {
        AtomicLongArray w = watermarks;
        long min = Long.MAX_VALUE;
        for (int i = 0; i < w.length(); i++) {
            min = Math.min(min, w.get(i));
        }
        return w.length() == 0 ? Long.MIN_VALUE : min;
    }

    @Override
    public long recordsIn() {
        return recordsIn.sum();
    }

    @Override
    public long lateRecordsDropped() {
        return late.sum();
    }
}
