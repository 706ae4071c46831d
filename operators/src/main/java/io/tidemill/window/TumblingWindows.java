package io.tidemill.window;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-size, non-overlapping windows aligned to the epoch (plus an optional offset).
 *
 * <pre>{@code
 * keyed.window(TumblingWindows.eventTime(Duration.ofSeconds(10)))
 * }</pre>
 */
public record TumblingWindows(long size, long offset, boolean isEventTime) implements WindowAssigner {
    public static TumblingWindows eventTime(Duration size) {
        return new TumblingWindows(size.toMillis(), 0, true);
    }

    public static TumblingWindows eventTime(Duration size, Duration offset) {
        return new TumblingWindows(size.toMillis(), offset.toMillis(), true);
    }

    public static TumblingWindows processingTime(Duration size) {
        return new TumblingWindows(size.toMillis(), 0, false);
    }

    @Override
    public void assignWindows(long timestamp, WindowSink sink) {
        long start = TimeWindow.startOf(timestamp, offset, size);
        sink.window(start, start + size);
    }

    @Override
    public boolean canAssign(long timestamp) {
        return TimeWindow.fits(timestamp, size + Math.abs(offset));
    }

    @Override
    public long paneSize() {
        return size;
    }

    @Override
    public long paneOffset() {
        return offset;
    }

    @Override
    public boolean isMerging() {
        return false;
    }

    @Override
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (size <= 0) {
            problems.add("window size must be positive, was " + size + " ms");
        }
        return problems;
    }

    @Override
    public String toString() {
        return (isEventTime ? "TumblingEventTimeWindows(" : "TumblingProcessingTimeWindows(") + size + " ms)";
    }
}
