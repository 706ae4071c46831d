package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.NexmarkEvent;

/**
 * One Nexmark query in the single-threaded baseline. The driver ({@link Baseline}) calls
 * {@link #onEvent} for each event in input order, {@link #onWatermark} whenever the watermark
 * rises, then {@code onWatermark(Long.MAX_VALUE)} and {@link #onEnd()} at the end of input.
 * A query writes its rows to the {@link RowSink} it was created with.
 */
interface BaselineQuery {

    /** Processes one event; {@code watermark} is the watermark before this event. */
    void onEvent(NexmarkEvent event, long watermark);

    /** Fires what the new watermark completes: windows with {@code end - 1 <= watermark}. */
    default void onWatermark(long watermark) {
    }

    /** Input ended (after the final watermark): emits final values. */
    default void onEnd() {
    }

    /** Events left out of at least one window because it had already fired. */
    default long late() {
        return 0;
    }
}
