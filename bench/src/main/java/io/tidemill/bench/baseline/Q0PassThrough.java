package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.JsonLine;
import io.tidemill.connector.nexmark.NexmarkEvent;

/** q0: every bid, unchanged. */
final class Q0PassThrough implements BaselineQuery {

    private final RowSink out;
    private final JsonLine row = new JsonLine();

    Q0PassThrough(RowSink out) {
        this.out = out;
    }

    @Override
    public void onEvent(NexmarkEvent event, long watermark) {
        if (event instanceof Bid b) {
            out.emit(row.begin().field("auction", b.auction()).field("bidder", b.bidder())
                    .field("price", b.price()).field("channel", b.channel()).field("url", b.url())
                    .field("dateTime", b.dateTime()).field("extra", b.extra()).end());
        }
    }
}
