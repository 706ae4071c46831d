package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.JsonLine;
import io.tidemill.connector.nexmark.NexmarkEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** q7: tumbling 10 s windows over bids; per window every bid with the window's highest price. */
final class Q7HighestBid implements BaselineQuery {

    static final long SIZE = 10_000;

    private final RowSink out;
    private final JsonLine row = new JsonLine();
    private final TreeMap<Long, HighestBids> windows = new TreeMap<>();
    private long late;

    Q7HighestBid(RowSink out) {
        this.out = out;
    }

    @Override
    public void onEvent(NexmarkEvent event, long watermark) {
        if (!(event instanceof Bid b)) {
            return;
        }
        long start = EventTimeClock.windowStart(b.dateTime(), SIZE);
        if (EventTimeClock.hasFired(start + SIZE, watermark)) {
            late++;
            return;
        }
        HighestBids highest = windows.get(start);
        if (highest == null) {
            highest = new HighestBids();
            windows.put(start, highest);
        }
        highest.offer(b);
    }

    @Override
    public void onWatermark(long watermark) {
        while (!windows.isEmpty()
                && EventTimeClock.hasFired(windows.firstKey() + SIZE, watermark)) {
            Map.Entry<Long, HighestBids> window = windows.pollFirstEntry();
            long start = window.getKey();
            for (Bid b : window.getValue().bids) {
                out.emit(row.begin().field("auction", b.auction()).field("price", b.price())
                        .field("bidder", b.bidder()).field("dateTime", b.dateTime())
                        .field("windowStart", start).field("windowEnd", start + SIZE).end());
            }
        }
    }

    @Override
    public long late() {
        return late;
    }

    /** The bids tied for the highest price of one window. */
    private static final class HighestBids {
        final List<Bid> bids = new ArrayList<>(2);
        long price;

        void offer(Bid bid) {
            if (bids.isEmpty() || bid.price() > price) {
                bids.clear();
                price = bid.price();
                bids.add(bid);
            } else if (bid.price() == price) {
                bids.add(bid);
            }
        }
    }
}
