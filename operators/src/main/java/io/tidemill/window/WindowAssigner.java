package io.tidemill.window;

import java.util.List;

/**
 * Assigns each record to the windows it belongs to. Use the factories of {@link TumblingWindows},
 * {@link SlidingWindows}, {@link SessionWindows} and {@link GlobalWindows}, or implement it: a
 * merging assigner (sessions of your own) says which windows merge with {@link #mergesWith}.
 */
public interface WindowAssigner {
    /** Calls {@code sink} once per window containing {@code timestamp}. */
    void assignWindows(long timestamp, WindowSink sink);

    /**
     * Calls {@code sink} once per window of {@code record} at {@code timestamp}: by default those of
     * the timestamp alone. Assigners that look at the record (dynamic session gaps) override it; the
     * general window operator calls this one.
     */
    default void assignWindows(Object record, long timestamp, WindowSink sink) {
        assignWindows(timestamp, sink);
    }

    /**
     * For a merging assigner: true if two windows of one key merge into the window covering both.
     * By default windows that overlap or touch merge, as sessions do; it must be true at least for
     * windows that overlap (the operator relies on a key's windows never overlapping). The window
     * operator merges a new window with every window it merges with, again as the cover grows, so
     * a key's windows never merge with each other afterwards.
     */
    default boolean mergesWith(TimeWindow a, TimeWindow b) {
        return a.intersects(b);
    }

    /** The trigger windows of this assigner get unless one is set: fire at the window's end. */
    default Trigger defaultTrigger() {
        return isEventTime() ? Trigger.eventTime() : Trigger.processingTime();
    }

    /** True for event-time windows, false for processing-time windows. */
    boolean isEventTime();

    /** True for windows that merge (sessions). */
    boolean isMerging();

    /**
     * The length of the intervals (aligned at {@link #paneOffset}) within which every timestamp gets
     * the same windows, or 0 if there are none: the gcd of size and slide for sliding windows. Lets
     * window operators assign a run of records without recomputing their windows.
     */
    default long paneSize() {
        return 0;
    }

    /** Where panes are aligned: a pane starts at every {@code paneOffset + n * paneSize}. */
    default long paneOffset() {
        return 0;
    }

    /**
     * True if every window of {@code timestamp} can be represented: its start and end fit in a long.
     * A timestamp within about a window's length of {@code Long.MIN_VALUE} or {@code Long.MAX_VALUE}
     * has no such window; window operators hand such a record to the late-data policy and say why.
     */
    boolean canAssign(long timestamp);

    /** Problems with the parameters, empty if valid; checked when the pipeline is built. */
    List<String> validate();

    /** Receives assigned windows without allocating per record. */
    @FunctionalInterface
    interface WindowSink {
        void window(long start, long end);
    }
}
