package io.tidemill.metrics;

import io.tidemill.task.TaskStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * The highest backpressure any subtask of a job saw: at each {@link #sample}, the share of the time
 * since the previous sample that each subtask could not emit (its output full); the peak is the
 * highest share of any subtask in any interval, with the subtask's vertex. As Prometheus' {@code
 * rate(tidemill_task_backpressured_seconds_total[...])}, but over the run's own sampling intervals.
 *
 * <p>A last interval shorter than half the usual one ({@link #finish}) is not taken for a peak (a
 * few milliseconds fully blocked at the end would read as 100%), unless it is the only interval.
 *
 * <pre>{@code
 * PeakBackpressure bp = PeakBackpressure.of(job.taskStats(), System.nanoTime());
 * // every 2 s: bp.sample(System.nanoTime());
 * bp.finish(System.nanoTime());
 * bp.peak(); // e.g. 0.37 at "source -> map" subtask 1
 * }</pre>
 */
public final class PeakBackpressure {
    /** One subtask's name and its growing count of seconds backpressured. */
    public record Subtask(String vertex, int subtask, DoubleSupplier backpressuredSeconds) {}

    /**
     * The peak: {@code share} (0 to 1) of the {@code intervalSeconds} long interval in which subtask
     * {@code subtask} of {@code vertex} could not emit.
     */
    public record Peak(String vertex, int subtask, double share, double intervalSeconds) {}

    private final List<Subtask> subtasks;
    private final double[] lastSeconds;
    private long lastNanos;
    private long longestIntervalNanos;
    private Peak peak;

    public PeakBackpressure(List<Subtask> subtasks, long startNanos) {
        this.subtasks = List.copyOf(subtasks);
        this.lastSeconds = new double[this.subtasks.size()];
        for (int i = 0; i < lastSeconds.length; i++) {
            lastSeconds[i] = this.subtasks.get(i).backpressuredSeconds().getAsDouble();
        }
        this.lastNanos = startNanos;
    }

    /** Over the subtasks of a job ({@code JobHandle.taskStats()}), from {@code startNanos} (System.nanoTime). */
    public static PeakBackpressure of(List<TaskStats> stats, long startNanos) {
        List<Subtask> subtasks = new ArrayList<>(stats.size());
        for (TaskStats s : stats) {
            subtasks.add(new Subtask(s.vertex(), s.subtask(), s::backpressuredSeconds));
        }
        return new PeakBackpressure(subtasks, startNanos);
    }

    /** Ends an interval at {@code nowNanos} (System.nanoTime) and takes its shares for the peak. */
    public synchronized void sample(long nowNanos) {
        take(nowNanos, true);
    }

    /** Ends the last interval at {@code nowNanos}; a short one counts only if it is the only one. */
    public synchronized void finish(long nowNanos) {
        take(nowNanos, peak == null || nowNanos - lastNanos >= longestIntervalNanos / 2);
    }

    private void take(long nowNanos, boolean counts) {
        long interval = nowNanos - lastNanos;
        if (interval <= 0) {
            return;
        }
        double seconds = interval / 1e9;
        for (int i = 0; i < lastSeconds.length; i++) {
            double now = subtasks.get(i).backpressuredSeconds().getAsDouble();
            double share = Math.max(0, Math.min(1, (now - lastSeconds[i]) / seconds));
            lastSeconds[i] = now;
            if (counts && (peak == null || share > peak.share())) {
                Subtask s = subtasks.get(i);
                peak = new Peak(s.vertex(), s.subtask(), share, seconds);
            }
        }
        lastNanos = nowNanos;
        longestIntervalNanos = Math.max(longestIntervalNanos, interval);
    }

    /** The peak so far; null before the first interval or for a job without subtasks. */
    public synchronized Peak peak() {
        return peak;
    }
}
