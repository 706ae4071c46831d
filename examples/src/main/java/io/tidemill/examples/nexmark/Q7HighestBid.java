package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.window.TimeWindow;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Nexmark q7: highest bid. Over tumbling windows of 10 s, every bid whose price equals the window's
 * highest price.
 *
 * <p>Two steps: the highest bids per auction and window (in parallel, by auction), then the highest
 * of those per window. The first step stamps its rows with the window's last timestamp, so the
 * second step's window of the same size fires once every auction's candidates have arrived.
 */
public final class Q7HighestBid {
    private static final Duration SIZE = Duration.ofSeconds(10);

    private Q7HighestBid() {}

    /** A bid with the highest price of the window {@code [windowStart, windowEnd)}. */
    public record Row(long auction, long price, long bidder, long dateTime, long windowStart, long windowEnd) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.bids(events)
                .keyBy(Bid::auction)
                .window(TumblingWindows.eventTime(SIZE))
                .process(new HighestPerAuction())
                .name("q7-highest-per-auction")
                .keyBy(Row::windowStart)
                .window(TumblingWindows.eventTime(SIZE))
                .process(new HighestOverall())
                .name("q7");
    }

    /** The bids of one auction and window with its highest price, as rows. */
    static final class HighestPerAuction extends ProcessWindowFunction<Bid, Row, Long> {
        @Override
        public void process(Long auction, Context ctx, Iterable<Bid> bids, Collector<Row> out) {
            TimeWindow w = ctx.window();
            for (Bid bid : highest(bids, Bid::price)) {
                out.collect(new Row(bid.auction(), bid.price(), bid.bidder(), bid.dateTime(), w.start(), w.end()));
            }
        }
    }

    /** The rows of one window with its highest price. */
    static final class HighestOverall extends ProcessWindowFunction<Row, Row, Long> {
        @Override
        public void process(Long windowStart, Context ctx, Iterable<Row> candidates, Collector<Row> out) {
            for (Row row : highest(candidates, Row::price)) {
                out.collect(row);
            }
        }
    }

    /** The elements whose price equals the highest, in their order. */
    static <T> List<T> highest(Iterable<T> elements, ToLongFunction<T> price) {
        long highest = Long.MIN_VALUE;
        for (T e : elements) {
            highest = Math.max(highest, price.applyAsLong(e));
        }
        List<T> result = new ArrayList<>();
        for (T e : elements) {
            if (price.applyAsLong(e) == highest) {
                result.add(e);
            }
        }
        return result;
    }
}
