package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.Auction;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.JsonLine;
import io.tidemill.connector.nexmark.NexmarkEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * q4: per category, the average ({@code sum / count}, long) of the winning prices of its
 * auctions, output once when input ends. An auction's winning price is its highest bid with
 * {@code auction.dateTime <= bid.dateTime <= auction.expires}; auctions without one are skipped.
 * Bids that arrive before their auction wait for it; a repeated auction id keeps its first
 * occurrence.
 */
final class Q4AverageClosingPrice implements BaselineQuery {

    private final RowSink out;
    private final JsonLine row = new JsonLine();
    private final Map<Long, OpenAuction> auctions = new HashMap<>();
    /** Bids of auctions not seen yet, as {dateTime, price} pairs. */
    private final Map<Long, List<long[]>> waitingBids = new HashMap<>();

    Q4AverageClosingPrice(RowSink out) {
        this.out = out;
    }

    @Override
    public void onEvent(NexmarkEvent event, long watermark) {
        if (event instanceof Bid b) {
            OpenAuction auction = auctions.get(b.auction());
            if (auction != null) {
                auction.offer(b.dateTime(), b.price());
            } else {
                waitingBids.computeIfAbsent(b.auction(), id -> new ArrayList<>(4))
                        .add(new long[] {b.dateTime(), b.price()});
            }
        } else if (event instanceof Auction a && !auctions.containsKey(a.id())) {
            OpenAuction auction = new OpenAuction(a.dateTime(), a.expires(), a.category());
            auctions.put(a.id(), auction);
            List<long[]> waiting = waitingBids.remove(a.id());
            if (waiting != null) {
                for (long[] bid : waiting) {
                    auction.offer(bid[0], bid[1]);
                }
            }
        }
    }

    @Override
    public void onEnd() {
        Map<Long, long[]> sumAndCountByCategory = new TreeMap<>();
        for (OpenAuction auction : auctions.values()) {
            if (auction.hasWinner) {
                long[] sumAndCount = sumAndCountByCategory.computeIfAbsent(
                        auction.category, c -> new long[2]);
                sumAndCount[0] += auction.winningPrice;
                sumAndCount[1]++;
            }
        }
        for (Map.Entry<Long, long[]> e : sumAndCountByCategory.entrySet()) {
            long[] sumAndCount = e.getValue();
            out.emit(row.begin().field("category", e.getKey())
                    .field("avg", sumAndCount[0] / sumAndCount[1]).end());
        }
    }

    /** An auction's time range and its best bid so far. */
    private static final class OpenAuction {
        final long opens;
        final long expires;
        final long category;
        boolean hasWinner;
        long winningPrice;

        OpenAuction(long opens, long expires, long category) {
            this.opens = opens;
            this.expires = expires;
            this.category = category;
        }

        void offer(long dateTime, long price) {
            if (dateTime >= opens && dateTime <= expires && (!hasWinner || price > winningPrice)) {
                hasWinner = true;
                winningPrice = price;
            }
        }
    }
}
