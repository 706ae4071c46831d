package io.tidemill.connector.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class NexmarkJsonTest {

    private static final String PERSON = "{\"type\":\"person\",\"id\":1000,\"name\":\"Peter Jones\","
            + "\"emailAddress\":\"p@x.com\",\"creditCard\":\"1234\",\"city\":\"Boise\",\"state\":\"ID\","
            + "\"dateTime\":1700000000000,\"extra\":\"e\"}";
    private static final String AUCTION = "{\"type\":\"auction\",\"id\":1000,\"itemName\":\"lamp\","
            + "\"description\":\"old\",\"initialBid\":120,\"reserve\":200,\"dateTime\":1700000000001,"
            + "\"expires\":1700000010001,\"seller\":1000,\"category\":10,\"extra\":\"\"}";
    private static final String BID = "{\"type\":\"bid\",\"auction\":1000,\"bidder\":1001,\"price\":250,"
            + "\"channel\":\"Google\",\"url\":\"u\",\"dateTime\":1700000000002,\"extra\":\"x\"}";

    private final NexmarkJson json = new NexmarkJson();

    static Stream<Arguments> validLines() {
        Person person = new Person(1000, "Peter Jones", "p@x.com", "1234", "Boise", "ID",
                1_700_000_000_000L, "e");
        Auction auction = new Auction(1000, "lamp", "old", 120, 200, 1_700_000_000_001L,
                1_700_000_010_001L, 1000, 10, "");
        Bid bid = new Bid(1000, 1001, 250, "Google", "u", 1_700_000_000_002L, "x");
        return Stream.of(
                Arguments.of("person", PERSON, person),
                Arguments.of("auction", AUCTION, auction),
                Arguments.of("bid", BID, bid),
                Arguments.of("unknown scalar fields",
                        BID.replace("{", "{\"zz\":1.5,\"flag\":true,\"n\":null,"), bid),
                Arguments.of("unknown nested fields", BID.replace("}",
                        ",\"obj\":{\"price\":\"no\",\"a\":[1,{\"b\":[]}]},\"arr\":[{\"type\":\"x\"}]}"), bid),
                Arguments.of("type last", "{\"auction\":1000,\"bidder\":1001,\"price\":250,"
                        + "\"channel\":\"Google\",\"url\":\"u\",\"dateTime\":1700000000002,"
                        + "\"extra\":\"x\",\"type\":\"bid\"}", bid),
                Arguments.of("fields of other types, mistyped, are ignored",
                        BID.replace("}", ",\"id\":\"abc\",\"seller\":1.5,\"name\":7}"), bid),
                Arguments.of("whitespace and CR around", "  " + BID + " \r\n", bid),
                Arguments.of("escaped strings", BID.replace("\"u\"", "\"a\\\"b\\\\c\\n\\u00e9\""),
                        new Bid(1000, 1001, 250, "Google", "a\"b\\c\n\u00e9", 1_700_000_000_002L, "x")),
                Arguments.of("long extremes", BID.replace("250", "-9223372036854775808")
                                .replace("1001", "9223372036854775807"),
                        new Bid(1000, Long.MAX_VALUE, Long.MIN_VALUE, "Google", "u",
                                1_700_000_000_002L, "x")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validLines")
    void givenValidLine_whenDecoded_thenEventHasItsFields(String story, String line, NexmarkEvent expected) {
        assertEquals(expected, json.decode(line));
        byte[] padded = ("garbage" + line + "garbage").getBytes(StandardCharsets.UTF_8);
        int length = line.getBytes(StandardCharsets.UTF_8).length;
        assertEquals(expected, json.decode(padded, 7, length));
    }

    static Stream<Arguments> badLines() {
        return Stream.of(
                Arguments.of("", "empty line"),
                Arguments.of("   ", "empty line"),
                Arguments.of("{\"type\":\"bid\"", "invalid JSON"),
                Arguments.of("{type:\"bid\"}", "invalid JSON"),
                Arguments.of("{'type':'bid'}", "invalid JSON"),
                Arguments.of("not json", "invalid JSON"),
                Arguments.of(BID.replace("250", "0250"), "invalid JSON"),
                Arguments.of(BID.replace("250", "NaN"), "invalid JSON"),
                Arguments.of(BID + " x", "trailing data after the JSON object"),
                Arguments.of(BID + "}", "trailing data after the JSON object"),
                Arguments.of(BID + BID, "trailing data after the JSON object"),
                Arguments.of("[" + BID + "]", "not a JSON object"),
                Arguments.of("42", "not a JSON object"),
                Arguments.of(BID.replace("\"bid\"", "\"foo\""), "unknown type 'foo'"),
                Arguments.of(BID.replace("\"bid\"", "\"Bid\""), "unknown type 'Bid'"),
                Arguments.of(BID.replace("\"type\":\"bid\",", ""), "missing field 'type'"),
                Arguments.of(BID.replace("\"bid\"", "null"), "field 'type' must be a string"),
                Arguments.of(BID.replace("\"price\":250,", ""), "missing field 'price'"),
                Arguments.of(BID.replace(",\"extra\":\"x\"", ""), "missing field 'extra'"),
                Arguments.of(PERSON.replace("\"state\":\"ID\",", ""), "missing field 'state'"),
                Arguments.of(AUCTION.replace("\"expires\":1700000010001,", ""), "missing field 'expires'"),
                Arguments.of(BID.replace("250", "1000.0"), "field 'price' must be a long"),
                Arguments.of(BID.replace("250", "1e3"), "field 'price' must be a long"),
                Arguments.of(BID.replace("250", "\"1000\""), "field 'price' must be a long"),
                Arguments.of(BID.replace("250", "null"), "field 'price' must be a long"),
                Arguments.of(BID.replace("250", "true"), "field 'price' must be a long"),
                Arguments.of(BID.replace("250", "[250]"), "field 'price' must be a long"),
                Arguments.of(BID.replace("250", "{\"v\":250}"), "field 'price' must be a long"),
                Arguments.of(BID.replace("250", "9223372036854775808"), "field 'price' must be a long"),
                Arguments.of(BID.replace("250", "-9223372036854775809"), "field 'price' must be a long"),
                Arguments.of(BID.replace("\"Google\"", "null"), "field 'channel' must be a string"),
                Arguments.of(BID.replace("\"Google\"", "5"), "field 'channel' must be a string"),
                Arguments.of(PERSON.replace("\"Boise\"", "[]"), "field 'city' must be a string"),
                Arguments.of(AUCTION.replace("\"category\":10", "\"category\":10.5"),
                        "field 'category' must be a long"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badLines")
    void givenBadLine_whenDecoded_thenRejectedWithReason(String line, String reason) {
        MalformedRecordException fromString =
                assertThrows(MalformedRecordException.class, () -> json.decode(line));
        assertEquals(reason, fromString.reason());
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        MalformedRecordException fromBytes =
                assertThrows(MalformedRecordException.class, () -> json.decode(bytes, 0, bytes.length));
        assertEquals(reason, fromBytes.reason());
    }

    @Test
    void givenBadLine_whenGoodLineFollows_thenDecoderStateDoesNotLeak() {
        assertThrows(MalformedRecordException.class,
                () -> json.decode(BID.replace("\"price\":250,", "")));
        assertEquals(250, ((Bid) json.decode(BID)).price());
        assertThrows(MalformedRecordException.class,
                () -> json.decode(BID.replace("\"price\":250,", "")));
    }

    @Test
    void givenEvents_whenEncoded_thenExactlyTheFileFormat() {
        assertEquals(PERSON, NexmarkJson.encode(json.decode(PERSON)));
        assertEquals(AUCTION, NexmarkJson.encode(json.decode(AUCTION)));
        assertEquals(BID, NexmarkJson.encode(json.decode(BID)));
    }

    @Test
    void givenAwkwardStrings_whenEncodedAndDecoded_thenRoundTrip() {
        Person person = new Person(-1, "Zoë \"Z\" O'Neil", "a\\b", "\t\u0001\u001f", "東京",
                "\uD83D\uDE00", Long.MIN_VALUE, "line1\nline2\r");
        String line = NexmarkJson.encode(person);
        assertEquals(person, json.decode(line));
        assertEquals(person, json.decode(line.getBytes(StandardCharsets.UTF_8), 0,
                line.getBytes(StandardCharsets.UTF_8).length));
    }

    @Test
    void givenGeneratedEvents_whenEncodedAndDecoded_thenRoundTrip() {
        NexmarkGenerator generator = new NexmarkGenerator(GeneratorConfig.withSeed(7));
        JsonLine line = new JsonLine();
        for (long i = 0; i < 2_000; i++) {
            NexmarkEvent event = generator.event(i);
            assertEquals(event, json.decode(NexmarkJson.encode(event, line).toString()));
        }
    }
}
