package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.JsonLine;
import io.tidemill.connector.nexmark.NexmarkEvent;

/** q1: every bid with its price converted, {@code price * 908 / 1000} in long arithmetic. */
final class Q1CurrencyConversion implements BaselineQuery {

    private final RowSink out;
    private final JsonLine row = new JsonLine();

    Q1CurrencyConversion(RowSink out) {
        this.out = out;
    }

    @Override
    public void onEvent(NexmarkEvent event, long watermark) {
        if (event instanceof Bid b) {
            out.emit(row.begin().field("auction", b.auction()).field("bidder", b.bidder())
                    .field("price", b.price() * 908 / 1000).field("dateTime", b.dateTime()).end());
        }
    }
}
