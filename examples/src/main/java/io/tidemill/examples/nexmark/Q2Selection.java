package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;

/** Nexmark q2: the bids on auctions whose id is a multiple of 123. */
public final class Q2Selection {
    private Q2Selection() {}

    /** A selected bid. */
    public record Row(long auction, long price) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.bids(events)
                .filter(b -> b.auction() % 123 == 0)
                .map((Bid b) -> new Row(b.auction(), b.price()))
                .name("q2");
    }
}
