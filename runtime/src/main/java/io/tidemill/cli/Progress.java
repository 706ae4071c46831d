package io.tidemill.cli;

import io.tidemill.local.JobHandle;
import io.tidemill.metrics.PeakBackpressure;
import java.io.PrintStream;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Prints a job's progress to stderr every few seconds: records, records/s, watermark; and samples
 * its subtasks' backpressure at the same times, for the peak a summary reports ({@link #peakBackpressure}).
 */
public final class Progress implements AutoCloseable {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tidemill-progress");
        t.setDaemon(true);
        return t;
    });
    private final PrintStream err;
    private final long startNanos = System.nanoTime();
    private long lastCount;
    private long lastNanos = startNanos;
    private final PeakBackpressure backpressure;

    public Progress(JobHandle job, PrintStream err, long periodMillis) {
        this.err = err;
        this.backpressure = PeakBackpressure.of(job.taskStats(), startNanos);
        timer.scheduleAtFixedRate(() -> report(job), periodMillis, periodMillis, TimeUnit.MILLISECONDS);
    }

    private void report(JobHandle job) {
        long now = System.nanoTime();
        backpressure.sample(now);
        long count = job.recordsIn();
        double rate = (count - lastCount) / Math.max(1e-9, (now - lastNanos) / 1e9);
        lastCount = count;
        lastNanos = now;
        var checkpoints = job.completedCheckpoints();
        String last = checkpoints.isEmpty() ? "" : String.format("  last checkpoint %d (%d ms, %,d bytes)",
                checkpoints.get(checkpoints.size() - 1).id(), checkpoints.get(checkpoints.size() - 1).durationMillis(),
                checkpoints.get(checkpoints.size() - 1).bytes());
        err.printf("[%5.1fs] events %,d  rate %,.0f/s  watermark %s%s%n", (now - startNanos) / 1e9, count, rate,
                formatWatermark(job.watermark()), last);
    }

    public static String formatWatermark(long wm) {
        if (wm == Long.MIN_VALUE) {
            return "none";
        }
        if (wm == Long.MAX_VALUE) {
            return "end";
        }
        return Instant.ofEpochMilli(wm).toString();
    }

    /**
     * The highest share of a sampling interval that any subtask could not emit, with its vertex; null
     * for a job without subtasks. Final once this is closed.
     */
    public PeakBackpressure.Peak peakBackpressure() {
        return backpressure.peak();
    }

    /** Stops printing and ends the last backpressure interval. */
    @Override
    public void close() {
        timer.shutdownNow();
        backpressure.finish(System.nanoTime());
    }
}
