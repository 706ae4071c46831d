package io.tidemill.graph;

import java.util.List;

/**
 * What an operator decides from the watermarks it receives, so that a source can leave out the
 * watermarks no operator downstream would act on (Jet's watermark throttling). A source sends a
 * watermark after every batch it reads; an event-time window only acts when the watermark reaches
 * a window's last timestamp, so between two such points every watermark is overhead: one item per
 * channel, across the network in a cluster.
 *
 * <ul>
 *   <li>{@link #EXACT}: the operator may act on any watermark (timers, triggers, joins, user code).
 *       The default, and what every operator not marked otherwise is taken to be.
 *   <li>{@link #FORWARD}: the operator only passes watermarks on (map, filter, flatMap, sinks).
 *   <li>{@link #grid}: the operator acts only when its watermark reaches a point of the grid
 *       ({@code t ≡ phase mod period}) and passes watermarks on unchanged: aligned event-time
 *       windows, which fire a window and judge a record late exactly at a window's last timestamp.
 * </ul>
 * A source whose every downstream operator is FORWARD or a grid may send, instead of watermark
 * {@code w}, the largest grid point at or below {@code w}: every decision then falls at the same
 * point of the stream, so results, late records and side outputs are unchanged.
 */
public record WatermarkUse(Kind kind, long period, long phase) {
    public enum Kind { EXACT, FORWARD, GRID }

    public static final WatermarkUse EXACT = new WatermarkUse(Kind.EXACT, 0, 0);
    public static final WatermarkUse FORWARD = new WatermarkUse(Kind.FORWARD, 0, 0);

    /**
     * Acts at the last timestamps of panes of {@code paneSize} starting at {@code paneOffset + n *
     * paneSize} (every window end of tumbling and sliding windows is a pane end); EXACT if there are
     * no panes.
     */
    public static WatermarkUse panes(long paneSize, long paneOffset) {
        if (paneSize <= 0) {
            return EXACT;
        }
        return new WatermarkUse(Kind.GRID, paneSize, Math.floorMod(paneOffset - 1, paneSize));
    }

    /**
     * The largest watermark at or below {@code watermark} that reaches the same grid points as
     * {@code watermark} for every grid of {@code grids}; {@code watermark} itself at the extremes.
     */
    public static long floor(long watermark, List<WatermarkUse> grids) {
        if (watermark == Long.MIN_VALUE || watermark == Long.MAX_VALUE || grids.isEmpty()) {
            return watermark;
        }
        long best = Long.MIN_VALUE;
        for (WatermarkUse g : grids) {
            long below = watermark - Math.floorMod(Math.floorMod(watermark, g.period) - g.phase, g.period);
            if (below <= watermark) { // else it wrapped below Long.MIN_VALUE: no grid point
                best = Math.max(best, below);
            }
        }
        return best;
    }
}
