package io.tidemill.window;

import java.util.ArrayList;
import java.util.List;

/**
 * Sessions whose gap each record gives: a record opens {@code [ts, ts + gap(record))}, and windows
 * that overlap or touch merge (Flink's {@code EventTimeSessionWindows.withDynamicGap}). Made by
 * {@link SessionWindows#eventTimeWithDynamicGap} and {@link SessionWindows#processingTimeWithDynamicGap}.
 * A gap that is not positive fails the job, naming the record's gap.
 *
 * @param <T> record type
 */
public final class DynamicSessionWindows<T> implements WindowAssigner {
    private final SessionWindows.GapExtractor<T> gap;
    private final boolean eventTime;

    DynamicSessionWindows(SessionWindows.GapExtractor<T> gap, boolean eventTime) {
        this.gap = gap;
        this.eventTime = eventTime;
    }

    @Override
    public void assignWindows(long timestamp, WindowSink sink) {
        throw new UnsupportedOperationException("dynamic session windows need the record to assign its window");
    }

    @SuppressWarnings("unchecked")
    @Override
    public void assignWindows(Object record, long timestamp, WindowSink sink) {
        long g = gap.gapMillis((T) record);
        if (g <= 0) {
            throw new IllegalArgumentException("a dynamic session gap must be positive, the gap extractor gave "
                    + g + " ms for a record at " + timestamp);
        }
        sink.window(timestamp, timestamp > Long.MAX_VALUE - g ? Long.MAX_VALUE : timestamp + g);
    }

    @Override
    public boolean isEventTime() {
        return eventTime;
    }

    @Override
    public boolean isMerging() {
        return true;
    }

    @Override
    public boolean canAssign(long timestamp) {
        return timestamp < Long.MAX_VALUE;
    }

    @Override
    public List<String> validate() {
        List<String> problems = new ArrayList<>();
        if (gap == null) {
            problems.add("dynamic session windows need a gap extractor");
        }
        return problems;
    }

    @Override
    public String toString() {
        return (eventTime ? "EventTimeSessionWindows" : "ProcessingTimeSessionWindows") + "(dynamic gap)";
    }
}
