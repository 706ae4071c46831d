package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.connector.nexmark.Auction;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.Person;
import io.tidemill.window.TimeWindow;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;

/**
 * Nexmark q8: monitor new users. Persons who created an auction in the same 10 s tumbling window in
 * which they registered; one row per person and window.
 *
 * <p>A window join of persons and auctions on {@code person.id = auction.seller} gives a row per
 * (person, auction) pair; a second window of the same size, keyed by the row, keeps one of each.
 * Both windows stamp their output with the window's last timestamp, so the second fires right after
 * the first.
 */
public final class Q8MonitorNewUsers {
    private static final Duration SIZE = Duration.ofSeconds(10);

    private Q8MonitorNewUsers() {}

    /** A person who registered and created an auction in the window starting at {@code windowStart}. */
    public record Row(long id, String name, long windowStart) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.persons(events)
                .join(NexmarkQueries.auctions(events))
                .where(Person::id)
                .equalTo(Auction::seller)
                .window(TumblingWindows.eventTime(SIZE))
                .apply((Person p, Auction a) -> new Row(p.id(), p.name(),
                        TimeWindow.startOf(p.dateTime(), 0, SIZE.toMillis())))
                .keyBy(row -> row)
                .window(TumblingWindows.eventTime(SIZE))
                .reduce((row, duplicate) -> row)
                .name("q8");
    }
}
