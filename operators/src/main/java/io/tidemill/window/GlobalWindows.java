package io.tidemill.window;

import java.util.List;

/**
 * One window per key holding all its records ({@link TimeWindow#GLOBAL}), as Flink's
 * {@code GlobalWindows}. Its default trigger never fires, so set one: a count
 * ({@code KeyedStream.countWindow} does), or a trigger of your own. The window has no end: it is
 * never cleaned up, is not fired at the end of a bounded input, and its results carry the timestamp
 * {@code Long.MAX_VALUE - 1}. Its records need no event timestamps.
 *
 * <pre>{@code
 * keyed.window(GlobalWindows.create()).trigger(PurgingTrigger.of(CountTrigger.of(100)))
 * }</pre>
 */
public record GlobalWindows() implements WindowAssigner {
    public static GlobalWindows create() {
        return new GlobalWindows();
    }

    @Override
    public void assignWindows(long timestamp, WindowSink sink) {
        sink.window(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public boolean isEventTime() {
        return false;
    }

    @Override
    public boolean isMerging() {
        return false;
    }

    @Override
    public boolean canAssign(long timestamp) {
        return true;
    }

    @Override
    public Trigger defaultTrigger() {
        return Trigger.never();
    }

    @Override
    public List<String> validate() {
        return List.of();
    }

    @Override
    public String toString() {
        return "GlobalWindows()";
    }
}
