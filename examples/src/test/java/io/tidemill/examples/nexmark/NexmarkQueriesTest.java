package io.tidemill.examples.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tidemill.api.DataStream;
import io.tidemill.connector.nexmark.Auction;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.Person;
import io.tidemill.local.LocalCluster;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The edge rules of {@code NEXMARK.md}, one small story per case: events in (in file order), rows
 * out (in any order). Each story runs at parallelism 1 and 2.
 */
class NexmarkQueriesTest {
    private static LocalCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = LocalCluster.start(2);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    static Stream<Arguments> stories() {
        return Stream.of(
                story("q0 passes every bid through and ignores persons and auctions", Q0PassThrough::build,
                        List.of(person(1, "Ann", "OR", 0), auction(2, 1, 10, 1, 5000),
                                new Bid(2, 1, 30, "Google", "http://x/a", 5, "e")),
                        new Q0PassThrough.Row(2, 1, 30, "Google", "http://x/a", 5, "e")),
                story("q1 converts prices with long arithmetic, truncating toward zero", Q1CurrencyConversion::build,
                        List.of(bid(1, 2, 1001, 10), bid(1, 2, 999, 11), bid(1, 2, -1000, 12)),
                        new Q1CurrencyConversion.Row(1, 2, 908, 10), new Q1CurrencyConversion.Row(1, 2, 907, 11),
                        new Q1CurrencyConversion.Row(1, 2, -908, 12)),
                story("q2 keeps bids on auctions divisible by 123", Q2Selection::build,
                        List.of(bid(246, 1, 5, 0), bid(247, 1, 6, 0), bid(0, 1, 7, 0), bid(-123, 1, 8, 0)),
                        new Q2Selection.Row(246, 5), new Q2Selection.Row(0, 7), new Q2Selection.Row(-123, 8)),
                story("q3 joins auctions with sellers that come before or after them", Q3LocalItemSuggestion::build,
                        List.of(auction(100, 1, 10, 0, 5000),          // before its seller
                                person(1, "Ann", "OR", 1),
                                auction(101, 1, 10, 2, 5000),          // after its seller
                                auction(102, 1, 11, 3, 5000),          // not category 10
                                person(2, "Bob", "WA", 4), auction(103, 2, 10, 5, 5000),
                                person(3, "Cy", "or", 6), auction(104, 3, 10, 7, 5000),   // states are case-sensitive
                                auction(105, 4, 10, 8, 5000), person(4, "Di", "CA", 9),
                                person(5, "Ed", "ID", 10)),            // no auctions
                        q3("Ann", "OR", 100), q3("Ann", "OR", 101), q3("Di", "CA", 105)),
                story("q4 counts bids at exactly dateTime and expires, and bids before their auction",
                        Q4AverageClosingPrice::build,
                        List.of(bid(2, 9, 20, 100),                    // before auction 2
                                auction(1, 9, 10, 1000, 2000),
                                bid(1, 9, 50, 999), bid(1, 9, 5, 1000), bid(1, 9, 7, 2000),
                                bid(1, 9, 100, 2001),
                                auction(2, 9, 10, 0, 5000),
                                auction(3, 9, 11, 0, 5000),            // no bids: no row for category 11
                                auction(1, 9, 12, 0, 9000),            // repeated id: the first counts
                                bid(1, 9, 1000, 3000),                 // after auction 1 expired
                                auction(4, 9, 13, 0, 100), bid(4, 9, 3, 50), bid(4, 9, 4, 60),
                                bid(99, 9, 1, 0)),                     // auction never seen
                        new Q4AverageClosingPrice.Row(10, (7 + 20) / 2), new Q4AverageClosingPrice.Row(13, 4)),
                story("q4 averages with long division", Q4AverageClosingPrice::build,
                        List.of(auction(1, 9, 10, 0, 100), auction(2, 9, 10, 0, 100), auction(3, 9, 10, 0, 100),
                                bid(1, 9, 1, 10), bid(2, 9, 1, 10), bid(3, 9, 2, 10)),
                        new Q4AverageClosingPrice.Row(10, 1)),
                story("q5 puts a bid at exactly windowEnd into the next windows, negative starts too",
                        Q5HotItems::build,
                        List.of(bid(1, 9, 1, 0), bid(2, 9, 1, 10_000)),
                        q5(1, 1, -8000), q5(1, 1, -6000), q5(1, 1, -4000), q5(1, 1, -2000), q5(1, 1, 0),
                        q5(2, 1, 2000), q5(2, 1, 4000), q5(2, 1, 6000), q5(2, 1, 8000), q5(2, 1, 10_000)),
                story("q5 outputs every auction tied for the most bids", Q5HotItems::build,
                        List.of(bid(1, 9, 1, 100), bid(2, 9, 1, 200), bid(1, 9, 1, 1999), bid(2, 9, 1, 300),
                                bid(3, 9, 1, 500), bid(3, 9, 1, 2000), bid(3, 9, 1, 2001)),
                        q5(1, 2, -8000), q5(2, 2, -8000),
                        q5(3, 3, -6000), q5(3, 3, -4000), q5(3, 3, -2000), q5(3, 3, 0),
                        q5(3, 2, 2000)),
                story("q7 outputs every bid tied for the highest price, a bid at windowEnd in the next window",
                        Q7HighestBid::build,
                        List.of(bid(1, 1, 5, 1), bid(1, 2, 9, 2), bid(2, 3, 9, 9999), bid(1, 4, 9, 500),
                                bid(3, 5, 100, 10_000), bid(3, 6, 50, 19_999)),
                        q7(1, 9, 2, 2, 0), q7(2, 9, 3, 9999, 0), q7(1, 9, 4, 500, 0),
                        q7(3, 100, 5, 10_000, 10_000)),
                story("q7 emits nothing for windows without bids", Q7HighestBid::build,
                        List.of(bid(1, 1, 5, -1), person(1, "Ann", "OR", 20_000), bid(1, 1, 6, 30_000)),
                        q7(1, 5, 1, -1, -10_000), q7(1, 6, 1, 30_000, 30_000)),
                story("q8 needs registration and auction in the same window, one row per person and window",
                        Q8MonitorNewUsers::build,
                        List.of(person(4, "Di", "CA", -5), auction(40, 4, 10, -1, 0),          // negative window
                                person(1, "Ann", "OR", 0), auction(10, 1, 10, 9999, 20_000),
                                auction(11, 1, 10, 9000, 20_000),                              // same window again
                                person(2, "Bob", "OR", 9999), auction(20, 2, 10, 10_000, 20_000), // next window
                                auction(30, 3, 10, 10_500, 20_000), person(3, "Cy", "ID", 11_000), // auction first
                                auction(50, 5, 10, 12_000, 20_000)),                            // no such person
                        new Q8MonitorNewUsers.Row(4, "Di", -10_000), new Q8MonitorNewUsers.Row(1, "Ann", 0),
                        new Q8MonitorNewUsers.Row(3, "Cy", 10_000)),
                story("q11 keeps bids exactly 10 000 ms apart in one session, 10 001 ms apart in two",
                        Q11UserSessions::build,
                        List.of(bid(1, 1, 1, 0), bid(1, 2, 1, 0), bid(1, 1, 1, 10_000), bid(1, 2, 1, 10_001)),
                        q11(1, 2, 0, 20_000), q11(2, 1, 0, 10_000), q11(2, 1, 10_001, 20_001)),
                story("q11 merges sessions bridged by a bid arriving out of order", Q11UserSessions::build,
                        List.of(bid(1, 3, 1, 3000), bid(1, 4, 1, 2000), bid(1, 3, 1, 14_000),
                                bid(1, 4, 1, 1000), bid(1, 3, 1, 10_000)),
                        q11(3, 3, 3000, 24_000), q11(4, 2, 1000, 12_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void story(String story, Function<DataStream<NexmarkEvent>, DataStream<?>> query, List<NexmarkEvent> events,
               List<Object> expected) {
        for (int parallelism : new int[] {1, 2}) {
            List<?> rows = QueryRows.collect(cluster, query, events, parallelism);
            assertEquals(sorted(expected), sorted(rows), "parallelism " + parallelism);
        }
    }

    @Test
    void everyQueryIsRegisteredByName() {
        assertEquals(List.of("q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q11"), NexmarkQueries.names());
    }

    @Test
    void unknownQueryNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> NexmarkQueries.build("q6", null));
        assertEquals("unknown query 'q6'; known: q0, q1, q2, q3, q4, q5, q7, q8, q11", e.getMessage());
    }

    private static List<String> sorted(List<?> rows) {
        return rows.stream().map(Object::toString).sorted().toList();
    }

    private static Arguments story(String story, Function<DataStream<NexmarkEvent>, DataStream<?>> query,
                                   List<NexmarkEvent> events, Object... expected) {
        return Arguments.of(story, query, events, Arrays.asList(expected));
    }

    private static Bid bid(long auction, long bidder, long price, long dateTime) {
        return new Bid(auction, bidder, price, "Google", "https://x/" + auction, dateTime, "");
    }

    private static Person person(long id, String name, String state, long dateTime) {
        return new Person(id, name, name.toLowerCase() + "@x", "1234", "Bend", state, dateTime, "");
    }

    private static Auction auction(long id, long seller, long category, long dateTime, long expires) {
        return new Auction(id, "item" + id, "", 1, 1, dateTime, expires, seller, category, "");
    }

    private static Q3LocalItemSuggestion.Row q3(String name, String state, long auction) {
        return new Q3LocalItemSuggestion.Row(name, "Bend", state, auction);
    }

    private static Q5HotItems.Row q5(long auction, long num, long windowStart) {
        return new Q5HotItems.Row(auction, num, windowStart, windowStart + 10_000);
    }

    private static Q7HighestBid.Row q7(long auction, long price, long bidder, long dateTime, long windowStart) {
        return new Q7HighestBid.Row(auction, price, bidder, dateTime, windowStart, windowStart + 10_000);
    }

    private static Q11UserSessions.Row q11(long bidder, long bidCount, long sessionStart, long sessionEnd) {
        return new Q11UserSessions.Row(bidder, bidCount, sessionStart, sessionEnd);
    }
}
