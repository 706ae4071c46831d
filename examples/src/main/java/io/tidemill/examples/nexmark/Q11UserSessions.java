package io.tidemill.examples.nexmark;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.window.SessionWindows;
import java.time.Duration;

/**
 * Nexmark q11: user sessions. Per bidder, sessions of bids at most 10 s apart; one row per session
 * with its number of bids.
 *
 * <p>A session window spans {@code [first bid, last bid + gap)}, so its start and end are the row's
 * {@code sessionStart} and {@code sessionEnd}.
 */
public final class Q11UserSessions {
    private static final Duration GAP = Duration.ofSeconds(10);

    private Q11UserSessions() {}

    /** One session of a bidder. */
    public record Row(long bidder, long bidCount, long sessionStart, long sessionEnd) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.bids(events)
                .keyBy(Bid::bidder)
                .window(SessionWindows.eventTime(GAP))
                .aggregate(Aggregates.count(), new WindowRow<>(Row::new))
                .name("q11");
    }
}
