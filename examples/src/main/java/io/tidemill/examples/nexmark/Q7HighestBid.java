package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessAllWindowFunction;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.window.TimeWindow;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.List;

/**
 * Nexmark q7: highest bid. Over tumbling windows of 10 s, every bid whose price equals the window's
 * highest price.
 *
 * <p>One window over all bids: {@code windowAll} keeps, in each subtask, only the bids tied for the
 * highest price so far, and merges the subtasks' leaders when the window fires.
 */
public final class Q7HighestBid {
    private static final Duration SIZE = Duration.ofSeconds(10);

    private Q7HighestBid() {}

    /** A bid with the highest price of the window {@code [windowStart, windowEnd)}. */
    public record Row(long auction, long price, long bidder, long dateTime, long windowStart, long windowEnd) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.bids(events)
                .windowAll(TumblingWindows.eventTime(SIZE))
                .aggregate(new Highest<>(Bid::price), new HighestBids())
                .name("q7");
    }

    /** The window's bids with its highest price, as rows. */
    static final class HighestBids extends ProcessAllWindowFunction<List<Bid>, Row> {
        @Override
        public void process(ProcessWindowFunction.Context ctx, Iterable<List<Bid>> highest, Collector<Row> out) {
            TimeWindow w = ctx.window();
            for (Bid bid : highest.iterator().next()) {
                out.collect(new Row(bid.auction(), bid.price(), bid.bidder(), bid.dateTime(), w.start(), w.end()));
            }
        }
    }
}
