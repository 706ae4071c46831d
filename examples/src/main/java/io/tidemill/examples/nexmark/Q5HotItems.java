package io.tidemill.examples.nexmark;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.window.SlidingWindows;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;

/**
 * Nexmark q5: hot items. Over sliding windows of 10 s every 2 s, the auction(s) with the most bids;
 * all of them on a tie.
 *
 * <p>Three steps: count bids per auction and 2 s pane, add up the five pane counts of each window
 * (both in parallel, by auction), then keep the largest counts of each window (by window, as they
 * arrive). The pane counts are pre-aggregated: each subtask counts its own bids before the exchange
 * by auction, so one partial count per auction, pane and subtask crosses it instead of every bid. Counting per pane first touches one window per bid instead of five. Every count is
 * stamped with the last timestamp of its pane or window, {@code windowEnd - 1}: a pane's count
 * falls into exactly the sliding windows that contain the pane, and each step's windows fire once
 * every count they need has arrived.
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
                .window(TumblingWindows.eventTime(SLIDE))
                .preAggregate() // counted per subtask before the exchange, then added up
                .aggregate(Aggregates.count(), new WindowRow<>(Row::new)) // a Row per pane
                .name("q5-bids-per-pane")
                .keyBy(Row::auction)
                .window(SlidingWindows.eventTime(SIZE, SLIDE))
                .aggregate(Aggregates.sum(Row::num), new WindowRow<>(Row::new))
                .name("q5-bids-per-auction")
                .keyBy(Row::windowEnd)
                .window(TumblingWindows.eventTime(SLIDE))
                .preAggregate() // each subtask's leaders per window cross the exchange, not every row
                .aggregate(new Highest<>(Row::num), new Highest.EmitAll<>())
                .name("q5");
    }
}
