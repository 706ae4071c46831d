package io.tidemill.window;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Windows of {@code size} starting every {@code slide}; a record belongs to {@code size / slide}
 * windows (more when size is not a multiple of slide).
 *
 * <pre>{@code
 * keyed.window(SlidingWindows.eventTime(Duration.ofSeconds(10), Duration.ofSeconds(2)))
 * }</pre>
 */
public record SlidingWindows(long size, long slide, long offset, boolean isEventTime) implements WindowAssigner {
    public static SlidingWindows eventTime(Duration size, Duration slide) {
        return new SlidingWindows(size.toMillis(), slide.toMillis(), 0, true);
    }

    public static SlidingWindows processingTime(Duration size, Duration slide) {
        return new SlidingWindows(size.toMillis(), slide.toMillis(), 0, false);
    }

    /**
     * Windows starting at {@code offset + n * slide} (Flink's {@code SlidingEventTimeWindows.of(size,
     * slide, offset)}): with a 1 h size and slide, an offset of 15 min gives windows from :15 to :15.
     * The offset must be smaller than the slide (negative for windows starting before the slide).
     */
    public static SlidingWindows eventTime(Duration size, Duration slide, Duration offset) {
        return new SlidingWindows(size.toMillis(), slide.toMillis(), offset.toMillis(), true);
    }

    /** Processing-time windows with an offset; see {@link #eventTime(Duration, Duration, Duration)}. */
    public static SlidingWindows processingTime(Duration size, Duration slide, Duration offset) {
        return new SlidingWindows(size.toMillis(), slide.toMillis(), offset.toMillis(), false);
    }

    @Override
    public boolean canAssign(long timestamp) {
        return TimeWindow.fits(timestamp, size + slide + Math.abs(offset));
    }

    @Override
    public void assignWindows(long timestamp, WindowSink sink) {
        long lastStart = TimeWindow.startOf(timestamp, offset, slide);
        for (long start = lastStart; start > timestamp - size; start -= slide) {
            sink.window(start, start + size);
        }
    }

    @Override
    public long paneSize() {
        long a = size;
        long b = slide;
        while (b > 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
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
        if (slide <= 0) {
            problems.add("window slide must be positive, was " + slide + " ms");
        } else if (slide > size) {
            problems.add("window slide (" + slide + " ms) must not be larger than its size (" + size + " ms)");
        } else if (Math.abs(offset) >= slide) {
            problems.add("window offset (" + offset + " ms) must be smaller than the slide (" + slide + " ms)");
        }
        return problems;
    }

    @Override
    public String toString() {
        return (isEventTime ? "SlidingEventTimeWindows(" : "SlidingProcessingTimeWindows(") + size + " ms, "
                + slide + " ms" + (offset == 0 ? ")" : ", offset " + offset + " ms)");
    }
}
