package io.tidemill.window;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-key sessions: a record opens {@code [ts, ts + gap)}, and windows that overlap or touch merge.
 * Two records at most {@code gap} apart are in the same session. With a dynamic gap each record
 * brings its own gap (Flink's {@code withDynamicGap}).
 *
 * <pre>{@code
 * keyed.window(SessionWindows.eventTime(Duration.ofSeconds(10)))
 * keyed.window(SessionWindows.eventTimeWithDynamicGap((Click c) -> c.premium() ? 60_000 : 10_000))
 * }</pre>
 */
public record SessionWindows(long gap, boolean isEventTime) implements WindowAssigner {
    public static SessionWindows eventTime(Duration gap) {
        return new SessionWindows(gap.toMillis(), true);
    }

    public static SessionWindows processingTime(Duration gap) {
        return new SessionWindows(gap.toMillis(), false);
    }

    /** Event-time sessions whose gap each record gives: it opens {@code [ts, ts + gap(record))}. */
    public static <T> DynamicSessionWindows<T> eventTimeWithDynamicGap(GapExtractor<T> gap) {
        return new DynamicSessionWindows<>(gap, true);
    }

    /** Processing-time sessions whose gap each record gives. */
    public static <T> DynamicSessionWindows<T> processingTimeWithDynamicGap(GapExtractor<T> gap) {
        return new DynamicSessionWindows<>(gap, false);
    }

    /** The session gap of a record, in milliseconds; must be positive. */
    @FunctionalInterface
    public interface GapExtractor<T> {
        long gapMillis(T record);
    }

    @Override
    public boolean canAssign(long timestamp) {
        return TimeWindow.fits(timestamp, gap);
    }

    @Override
    public void assignWindows(long timestamp, WindowSink sink) {
        sink.window(timestamp, timestamp + gap);
    }

    @Override
    public boolean isMerging() {
        return true;
    }

    @Override
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (gap <= 0) {
            problems.add("session gap must be positive, was " + gap + " ms");
        }
        return problems;
    }

    @Override
    public String toString() {
        return (isEventTime ? "EventTimeSessionWindows(" : "ProcessingTimeSessionWindows(") + gap + " ms)";
    }
}
