package io.tidemill.bench.baseline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tidemill.connector.nexmark.Auction;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.NexmarkJson;
import io.tidemill.connector.nexmark.Person;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class BaselineTest {

    @TempDir
    Path dir;

    static Stream<Arguments> stories() {
        return Stream.of(
                story("q0 passes every bid through, escaping strings, and ignores other events", "q0",
                        List.of(person(1, "Ann", "OR", 0),
                                new Bid(7, 1, 30, "say \"hi\"", "http://x/a\\b", 5, "ü\n")),
                        "{\"auction\":7,\"bidder\":1,\"price\":30,\"channel\":\"say \\\"hi\\\"\","
                                + "\"url\":\"http://x/a\\\\b\",\"dateTime\":5,\"extra\":\"ü\\n\"}"),
                story("q1 converts with long arithmetic, truncating toward zero", "q1",
                        List.of(bid(1, 2, 1001, 10), bid(1, 2, 999, 11), bid(1, 2, -1000, 12)),
                        "{\"auction\":1,\"bidder\":2,\"price\":908,\"dateTime\":10}",
                        "{\"auction\":1,\"bidder\":2,\"price\":907,\"dateTime\":11}",
                        "{\"auction\":1,\"bidder\":2,\"price\":-908,\"dateTime\":12}"),
                story("q2 keeps auctions divisible by 123", "q2",
                        List.of(bid(246, 1, 5, 0), bid(247, 1, 6, 0), bid(0, 1, 7, 0), bid(-123, 1, 8, 0)),
                        "{\"auction\":246,\"price\":5}", "{\"auction\":0,\"price\":7}",
                        "{\"auction\":-123,\"price\":8}"),
                story("q3 joins either side first, only OR/ID/CA sellers and category 10", "q3",
                        List.of(auction(100, 1, 10, 0, 5000),          // before its seller
                                person(1, "Ann", "OR", 1),
                                auction(101, 1, 10, 2, 5000),          // after its seller
                                auction(102, 1, 11, 3, 5000),          // wrong category
                                person(2, "Bob", "WA", 4), auction(103, 2, 10, 5, 5000),
                                person(3, "Cy", "or", 6), auction(104, 3, 10, 7, 5000),
                                auction(105, 4, 10, 8, 5000), person(4, "Di", "CA", 9),
                                person(5, "Ed", "ID", 10)),
                        "{\"name\":\"Ann\",\"city\":\"Bend\",\"state\":\"OR\",\"id\":100}",
                        "{\"name\":\"Ann\",\"city\":\"Bend\",\"state\":\"OR\",\"id\":101}",
                        "{\"name\":\"Di\",\"city\":\"Bend\",\"state\":\"CA\",\"id\":105}"),
                story("q4 counts bids at exactly dateTime and expires and bids before their auction", "q4",
                        List.of(bid(2, 9, 20, 100),                    // before auction 2
                                auction(1, 9, 10, 1000, 2000),
                                bid(1, 9, 50, 999), bid(1, 9, 5, 1000), bid(1, 9, 7, 2000),
                                bid(1, 9, 100, 2001),
                                auction(2, 9, 10, 0, 5000),
                                auction(3, 9, 11, 0, 5000),            // no bids: no row for 11
                                auction(1, 9, 12, 0, 9000),            // repeated id: ignored
                                bid(1, 9, 1000, 3000),
                                auction(4, 9, 13, 0, 100), bid(4, 9, 3, 50), bid(4, 9, 4, 60),
                                bid(99, 9, 1, 0)),                     // auction never seen
                        "{\"category\":10,\"avg\":13}", "{\"category\":13,\"avg\":4}"),
                story("q5 puts a bid at exactly windowEnd into the next windows (negative starts too)", "q5",
                        List.of(bid(1, 9, 1, 0), bid(2, 9, 1, 10_000)),
                        q5(1, 1, -8000), q5(1, 1, -6000), q5(1, 1, -4000), q5(1, 1, -2000), q5(1, 1, 0),
                        q5(2, 1, 2000), q5(2, 1, 4000), q5(2, 1, 6000), q5(2, 1, 8000), q5(2, 1, 10_000)),
                story("q5 outputs every auction tied for the most bids", "q5",
                        List.of(bid(1, 9, 1, 100), bid(2, 9, 1, 200), bid(1, 9, 1, 1999), bid(2, 9, 1, 300),
                                bid(3, 9, 1, 500), bid(3, 9, 1, 2000), bid(3, 9, 1, 2001)),
                        q5(1, 2, -8000), q5(2, 2, -8000),
                        q5(3, 3, -6000), q5(3, 3, -4000), q5(3, 3, -2000), q5(3, 3, 0),
                        q5(3, 2, 2000)),
                story("q5 leaves a late bid out of the windows that fired only", "q5",
                        List.of(bid(1, 9, 1, 20_000),                   // watermark 14 999
                                bid(2, 9, 1, 9_000),                    // windows 0..4000 fired
                                bid(3, 9, 1, 4_000)),                   // all its windows fired
                        q5(2, 1, 6000), q5(2, 1, 8000),
                        q5(1, 1, 12_000), q5(1, 1, 14_000), q5(1, 1, 16_000), q5(1, 1, 18_000),
                        q5(1, 1, 20_000)),
                story("q7 outputs every bid tied for the max; a bid at windowEnd is in the next window", "q7",
                        List.of(bid(1, 5, 5, 0), bid(2, 6, 9, 4000), bid(3, 7, 9, 9999), bid(4, 8, 3, 5000),
                                bid(5, 9, 1, 10_000)),
                        q7(2, 9, 6, 4000, 0), q7(3, 9, 7, 9999, 0), q7(5, 1, 9, 10_000, 10_000)),
                story("q7 drops a bid whose window fired and keeps one at exactly the bound", "q7",
                        List.of(bid(1, 1, 10, 30_000),                  // watermark 24 999
                                bid(2, 2, 99, 19_999),                  // window 10 000 fired
                                bid(3, 3, 5, 25_000)),                  // window 20 000 open
                        q7(3, 5, 3, 25_000, 20_000), q7(1, 10, 1, 30_000, 30_000)),
                story("q8 matches person and auction in the same window, once per person", "q8",
                        List.of(person(1, "Ann", "OR", 1000), auction(10, 1, 10, 9999, 20_000),
                                auction(11, 1, 10, 5000, 20_000),     // second auction, same window
                                person(2, "Bob", "WA", 9999), auction(12, 2, 10, 10_000, 20_000),
                                auction(13, 4, 10, 12_000, 20_000), person(4, "Di", "CA", 15_000),
                                auction(14, 5, 10, 16_000, 20_000)),  // seller never registered
                        "{\"id\":1,\"name\":\"Ann\",\"windowStart\":0}",
                        "{\"id\":4,\"name\":\"Di\",\"windowStart\":10000}"),
                story("q11 merges bids exactly 10 000 apart and splits at 10 001", "q11",
                        List.of(bid(1, 1, 1, 0), bid(1, 1, 1, 10_000), bid(1, 1, 1, 20_001)),
                        q11(1, 2, 0, 20_000), q11(1, 1, 20_001, 30_001)),
                story("q11 merges two sessions bridged by an out-of-order bid", "q11",
                        List.of(bid(1, 2, 1, 1000), bid(1, 2, 1, 11_001), bid(1, 2, 1, 10_000),
                                bid(1, 3, 1, 10_500)),
                        q11(2, 3, 1000, 21_001), q11(3, 1, 10_500, 20_500)),
                story("q11 merges a late bid into a live session it touches, drops one that does not",
                        "q11",
                        List.of(bid(1, 3, 1, 60_000), bid(1, 9, 1, 70_000), // watermark 64 999
                                bid(1, 3, 1, 50_000),                   // touches [60 000, 70 000)
                                bid(1, 4, 1, 49_999)),                  // alone and fired: late
                        q11(3, 2, 50_000, 70_000), q11(9, 1, 70_000, 80_000)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stories")
    void givenEvents_whenQueryRuns_thenExpectedRows(String story, String query,
            List<NexmarkEvent> events, List<String> expected) {
        List<String> rows = Baseline.runToLines(query, events.iterator());

        assertEquals(sorted(expected), sorted(rows));
    }

    static Stream<Arguments> lateCounts() {
        return Stream.of(
                Arguments.of("q5", List.of(bid(1, 9, 1, 20_000), bid(2, 9, 1, 9_000), bid(3, 9, 1, 4_000)), 2L),
                Arguments.of("q7", List.of(bid(1, 1, 10, 30_000), bid(2, 2, 99, 19_999),
                        bid(3, 3, 5, 25_000)), 1L),
                Arguments.of("q8", List.of(person(1, "A", "OR", 30_000), person(2, "B", "OR", 19_999),
                        auction(3, 2, 10, 19_000, 40_000)), 2L),
                Arguments.of("q11", List.of(bid(1, 3, 1, 60_000), bid(1, 9, 1, 70_000),
                        bid(1, 3, 1, 50_000), bid(1, 4, 1, 49_999)), 1L),
                Arguments.of("q4", List.of(auction(1, 1, 10, 30_000, 40_000), bid(1, 2, 5, 0)), 0L));
    }

    @ParameterizedTest(name = "{0} counts {2} late")
    @MethodSource("lateCounts")
    void givenEventsBehindTheWatermark_whenQueryRuns_thenLateEventsCounted(String query,
            List<NexmarkEvent> events, long late) {
        assertEquals(late, Baseline.run(query, events.iterator()).late());
    }

    @Test
    void givenFileWithMalformedLines_whenRun_thenSkippedCountedAndRowsWritten() throws IOException {
        Path input = dir.resolve("in.jsonl");
        Path output = dir.resolve("out.jsonl");
        List<String> lines = new ArrayList<>();
        lines.add(NexmarkJson.encode(bid(246, 1, 5, 0)));
        lines.add("{\"type\":\"bid\",\"auction\":246}");
        lines.add("not json");
        lines.add(NexmarkJson.encode(bid(123, 1, 6, 1)));
        Files.write(input, lines, StandardCharsets.UTF_8);

        BaselineResult result = Baseline.run("q2", input, output);

        assertEquals(2, result.events());
        assertEquals(2, result.malformed());
        assertEquals(2, result.rows());
        assertEquals(List.of("{\"auction\":246,\"price\":5}", "{\"auction\":123,\"price\":6}"),
                Files.readAllLines(output, StandardCharsets.UTF_8));
    }

    @Test
    void givenUnknownQuery_whenRun_thenRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Baseline.runToLines("q6", List.<NexmarkEvent>of().iterator()));
    }

    private static Arguments story(String story, String query, List<NexmarkEvent> events,
            String... expected) {
        return Arguments.of(story, query, events, List.of(expected));
    }

    private static Bid bid(long auction, long bidder, long price, long dateTime) {
        return new Bid(auction, bidder, price, "Google", "u", dateTime, "");
    }

    private static Person person(long id, String name, String state, long dateTime) {
        return new Person(id, name, name.toLowerCase() + "@x.com", "1111", "Bend", state, dateTime, "");
    }

    private static Auction auction(long id, long seller, long category, long dateTime, long expires) {
        return new Auction(id, "item", "desc", 1, 2, dateTime, expires, seller, category, "");
    }

    private static String q5(long auction, long num, long windowStart) {
        return "{\"auction\":" + auction + ",\"num\":" + num + ",\"windowStart\":" + windowStart
                + ",\"windowEnd\":" + (windowStart + 10_000) + "}";
    }

    private static String q7(long auction, long price, long bidder, long dateTime, long windowStart) {
        return "{\"auction\":" + auction + ",\"price\":" + price + ",\"bidder\":" + bidder
                + ",\"dateTime\":" + dateTime + ",\"windowStart\":" + windowStart
                + ",\"windowEnd\":" + (windowStart + 10_000) + "}";
    }

    private static String q11(long bidder, long count, long start, long end) {
        return "{\"bidder\":" + bidder + ",\"bidCount\":" + count + ",\"sessionStart\":" + start
                + ",\"sessionEnd\":" + end + "}";
    }

    private static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        copy.sort(null);
        return copy;
    }
}
