package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;

/** Nexmark q0: every bid, unchanged; measures the cost of the pipeline itself. */
public final class Q0PassThrough {
    private Q0PassThrough() {}

    /** One bid. */
    public record Row(long auction, long bidder, long price, String channel, String url, long dateTime,
                      String extra) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.bids(events)
                .map((Bid b) -> new Row(b.auction(), b.bidder(), b.price(), b.channel(), b.url(), b.dateTime(),
                        b.extra()))
                .name("q0");
    }
}
