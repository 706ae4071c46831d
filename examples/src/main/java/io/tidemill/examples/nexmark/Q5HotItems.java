package io.tidemill.examples.nexmark;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.ProcessWindowFunction;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.window.SlidingWindows;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;

/**
 * Nexmark q5: hot items. Over sliding windows of 10 s every 2 s, the auction(s) with the most bids;
 * all of them on a tie.
 *
 * <p>Two steps: count bids per auction and window (in parallel, by auction), then gather the counts
 * of one window (by window) and keep the largest. A window's counts are all stamped with its last
 * timestamp {@code windowEnd - 1}, so the second step's tumbling window fires once every count of
 * that window has arrived.
 */
public final class Q5HotItems {
    private static final Duration SIZE = Duration.ofSeconds(10);
    private static final Duration SLIDE = Duration.ofSeconds(2);

    private Q5HotItems() {}

    /** An auction with the most bids ({@code num}) in the window {@code [windowStart, windowEnd)}. */
    public record Row(long auction, long num, long windowStart, long windowEnd) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.bids(events)
                .keyBy(Bid::auction)
                .window(SlidingWindows.eventTime(SIZE, SLIDE))
                .aggregate(Aggregates.count(), new WindowCount<>(Row::new))
                .name("q5-bids-per-auction")
                .keyBy(Row::windowEnd)
                .window(TumblingWindows.eventTime(SLIDE))
                .process(new MostBids())
                .name("q5");
    }

    /** Keeps the counts of one window that equal its largest count. */
    static final class MostBids extends ProcessWindowFunction<Row, Row, Long> {
        @Override
        public void process(Long windowEnd, Context ctx, Iterable<Row> counts, Collector<Row> out) {
            long most = 0;
            for (Row count : counts) {
                most = Math.max(most, count.num());
            }
            for (Row count : counts) {
                if (count.num() == most) {
                    out.collect(count);
                }
            }
        }
    }
}
