package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;

/** Nexmark q1: every bid with its price converted from dollars to euros ({@code price * 908 / 1000}). */
public final class Q1CurrencyConversion {
    private Q1CurrencyConversion() {}

    /** A bid with its price in euros. */
    public record Row(long auction, long bidder, long price, long dateTime) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.bids(events)
                .map((Bid b) -> new Row(b.auction(), b.bidder(), b.price() * 908 / 1000, b.dateTime()))
                .name("q1");
    }
}
