package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.JsonLine;
import io.tidemill.connector.nexmark.NexmarkEvent;
import java.util.Map;
import java.util.TreeMap;

/**
 * q5: sliding windows of 10 s every 2 s over bids; per window the auction(s) with the most bids.
 *
 * <p>Bids are counted per 2 s pane (one increment per bid); a window is the sum of its 5 panes,
 * built when it fires. Invariant: window {@code s} has fired iff {@code s + SIZE - 1 <= watermark},
 * and {@code nextUnfired} is the smallest window start that has not, so a pane is kept exactly
 * while some window containing it ({@code pane - SIZE + SLIDE .. pane}) has not fired. A late bid
 * whose pane is still kept therefore reaches the windows that have not fired and only those.
 */
final class Q5HotItems implements BaselineQuery {

    static final long SIZE = 10_000;
    static final long SLIDE = 2_000;

    private final RowSink out;
    private final JsonLine row = new JsonLine();
    private final TreeMap<Long, LongCountMap> panes = new TreeMap<>();
    private final LongCountMap window = new LongCountMap(1024);
    private long nextUnfired = Long.MIN_VALUE;
    private long late;

    Q5HotItems(RowSink out) {
        this.out = out;
    }

    @Override
    public void onEvent(NexmarkEvent event, long watermark) {
        if (!(event instanceof Bid b)) {
            return;
        }
        long pane = EventTimeClock.windowStart(b.dateTime(), SLIDE);
        long firstWindow = pane - SIZE + SLIDE;
        if (EventTimeClock.hasFired(firstWindow + SIZE, watermark)) {
            late++; // missed at least the oldest of its windows
            if (EventTimeClock.hasFired(pane + SIZE, watermark)) {
                return; // missed them all
            }
        }
        LongCountMap counts = panes.get(pane);
        if (counts == null) {
            counts = new LongCountMap();
            panes.put(pane, counts);
        }
        counts.add(b.auction(), 1);
    }

    @Override
    public void onWatermark(long watermark) {
        while (!panes.isEmpty()) {
            long start = Math.max(nextUnfired, panes.firstKey() - SIZE + SLIDE);
            if (!EventTimeClock.hasFired(start + SIZE, watermark)) {
                break;
            }
            fire(start);
            nextUnfired = start + SLIDE;
            panes.headMap(nextUnfired).clear();
        }
        if (watermark != Long.MAX_VALUE && watermark > Long.MIN_VALUE + SIZE) {
            // Windows without bids fire too (emitting nothing): a later bid must not reach them.
            long lastFired = EventTimeClock.windowStart(watermark - SIZE + 1, SLIDE);
            nextUnfired = Math.max(nextUnfired, lastFired + SLIDE);
        }
    }

    private void fire(long start) {
        window.clear();
        for (Map.Entry<Long, LongCountMap> e : panes.subMap(start, true, start + SIZE - SLIDE, true)
                .entrySet()) {
            LongCountMap pane = e.getValue();
            for (int slot = 0; slot < pane.capacity(); slot++) {
                if (pane.isUsed(slot)) {
                    window.add(pane.keyAt(slot), pane.countAt(slot));
                }
            }
        }
        long max = 0;
        for (int slot = 0; slot < window.capacity(); slot++) {
            if (window.isUsed(slot) && window.countAt(slot) > max) {
                max = window.countAt(slot);
            }
        }
        for (int slot = 0; slot < window.capacity(); slot++) {
            if (window.isUsed(slot) && window.countAt(slot) == max) {
                out.emit(row.begin().field("auction", window.keyAt(slot)).field("num", max)
                        .field("windowStart", start).field("windowEnd", start + SIZE).end());
            }
        }
    }

    @Override
    public long late() {
        return late;
    }
}
