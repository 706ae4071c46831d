package io.tidemill.window;

import java.util.List;

/**
 * Assigns each record to the windows it belongs to. Use the factories of {@link TumblingWindows},
 * {@link SlidingWindows} and {@link SessionWindows}.
 */
public interface WindowAssigner {
    /** Calls {@code sink} once per window containing {@code timestamp}. */
    void assignWindows(long timestamp, WindowSink sink);

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
