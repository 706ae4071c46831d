package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.JsonLine;
import io.tidemill.connector.nexmark.NexmarkEvent;

/** q2: the bids whose {@code auction % 123 == 0}. */
final class Q2Selection implements BaselineQuery {

    private final RowSink out;
    private final JsonLine row = new JsonLine();

    Q2Selection(RowSink out) {
        this.out = out;
    }

    @Override
    public void onEvent(NexmarkEvent event, long watermark) {
        if (event instanceof Bid b && b.auction() % 123 == 0) {
            out.emit(row.begin().field("auction", b.auction()).field("price", b.price()).end());
        }
    }
}
