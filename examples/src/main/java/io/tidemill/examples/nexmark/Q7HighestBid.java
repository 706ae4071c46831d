package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.api.function.Collector;
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
 * <p>Two steps: the highest bids per window in each bucket of auctions (in parallel: a bucket is
 * {@code auction % 64}, so the first step keeps a few dozen small accumulators per window, not one
 * per auction), then the highest of those per window. Both keep only the bids tied for the highest price as they arrive, not every
 * bid. The first step stamps its rows with the window's last timestamp, so the second step's window
 * of the same size fires once every auction's candidates have arrived.
 */
public final class Q7HighestBid {
    private static final Duration SIZE = Duration.ofSeconds(10);
    /** Buckets of auctions for the parallel first step: enough to spread it, few enough to stay small. */
    private static final long BUCKETS = 64;

    private Q7HighestBid() {}

    /** A bid with the highest price of the window {@code [windowStart, windowEnd)}. */
    public record Row(long auction, long price, long bidder, long dateTime, long windowStart, long windowEnd) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.bids(events)
                .keyBy(bid -> bid.auction() % BUCKETS)
                .window(TumblingWindows.eventTime(SIZE))
                .aggregate(new Highest<>(Bid::price), new HighestPerBucket())
                .name("q7-highest-per-bucket")
                .keyBy(Row::windowStart)
                .window(TumblingWindows.eventTime(SIZE))
                .aggregate(new Highest<>(Row::price), new Highest.EmitAll<>())
                .name("q7");
    }

    /** The bids of one bucket and window with its highest price, as rows. */
    static final class HighestPerBucket extends ProcessWindowFunction<List<Bid>, Row, Long> {
        @Override
        public void process(Long bucket, Context ctx, Iterable<List<Bid>> highest, Collector<Row> out) {
            TimeWindow w = ctx.window();
            for (Bid bid : highest.iterator().next()) {
                out.collect(new Row(bid.auction(), bid.price(), bid.bidder(), bid.dateTime(), w.start(), w.end()));
            }
        }
    }
}
