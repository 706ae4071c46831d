package io.tidemill.connector.nexmark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Reads and writes Nexmark events in the JSON-lines format of {@code NEXMARK.md}.
 *
 * <p>Decoding is strict: anything that is not exactly one JSON object with a known {@code type}
 * and every field of that type, correctly typed, throws a {@link MalformedRecordException} with a
 * short reason. Unknown fields, nested or not, are skipped. A long must be a JSON integer that
 * fits a Java {@code long}; a string must be a JSON string ({@code null} is neither).
 *
 * <pre>{@code
 * NexmarkJson json = new NexmarkJson();          // one per thread
 * NexmarkEvent event = json.decode(line);        // or decode(bytes, offset, length)
 * String text = NexmarkJson.encode(event);       // {"type":"bid","auction":...}
 * }</pre>
 *
 * <p>A decoder instance keeps scratch state between calls and must be used by one thread at a
 * time; the static encoders are thread-safe.
 */
public final class NexmarkJson {

    /** Thread-safe and expensive to build: shared by every decoder. */
    private static final JsonFactory FACTORY = JsonFactory.builder().build();

    // Every field name of the three event types maps to one slot. A name means the same thing
    // (and has the same JSON type) in every event type that has it, so the fields of an object
    // can be collected before its type is known: "type" may come last.
    private static final int TYPE = 0;
    private static final int ID = 1;
    private static final int NAME = 2;
    private static final int EMAIL_ADDRESS = 3;
    private static final int CREDIT_CARD = 4;
    private static final int CITY = 5;
    private static final int STATE = 6;
    private static final int DATE_TIME = 7;
    private static final int EXTRA = 8;
    private static final int ITEM_NAME = 9;
    private static final int DESCRIPTION = 10;
    private static final int INITIAL_BID = 11;
    private static final int RESERVE = 12;
    private static final int EXPIRES = 13;
    private static final int SELLER = 14;
    private static final int CATEGORY = 15;
    private static final int AUCTION = 16;
    private static final int BIDDER = 17;
    private static final int PRICE = 18;
    private static final int CHANNEL = 19;
    private static final int URL = 20;
    private static final int SLOTS = 21;

    private static final String[] SLOT_NAMES = {
        "type", "id", "name", "emailAddress", "creditCard", "city", "state", "dateTime", "extra",
        "itemName", "description", "initialBid", "reserve", "expires", "seller", "category",
        "auction", "bidder", "price", "channel", "url"};

    private static final int LONG_SLOTS = bits(ID, DATE_TIME, INITIAL_BID, RESERVE, EXPIRES, SELLER,
            CATEGORY, AUCTION, BIDDER, PRICE);

    private static final int[] PERSON_FIELDS =
            {ID, NAME, EMAIL_ADDRESS, CREDIT_CARD, CITY, STATE, DATE_TIME, EXTRA};
    private static final int[] AUCTION_FIELDS = {ID, ITEM_NAME, DESCRIPTION, INITIAL_BID, RESERVE,
        DATE_TIME, EXPIRES, SELLER, CATEGORY, EXTRA};
    private static final int[] BID_FIELDS = {AUCTION, BIDDER, PRICE, CHANNEL, URL, DATE_TIME, EXTRA};

    // Malformed input is routine, so the fixed reasons are prebuilt (stackless, immutable).
    private static final MalformedRecordException EMPTY_LINE = new MalformedRecordException("empty line");
    private static final MalformedRecordException INVALID_JSON =
            new MalformedRecordException("invalid JSON");
    private static final MalformedRecordException NOT_AN_OBJECT =
            new MalformedRecordException("not a JSON object");
    private static final MalformedRecordException TRAILING_DATA =
            new MalformedRecordException("trailing data after the JSON object");
    private static final MalformedRecordException[] MISSING = new MalformedRecordException[SLOTS];
    private static final MalformedRecordException[] MISTYPED = new MalformedRecordException[SLOTS];

    static {
        for (int slot = 0; slot < SLOTS; slot++) {
            String kind = (LONG_SLOTS & (1 << slot)) != 0 ? "a long" : "a string";
            MISSING[slot] = new MalformedRecordException("missing field '" + SLOT_NAMES[slot] + "'");
            MISTYPED[slot] = new MalformedRecordException(
                    "field '" + SLOT_NAMES[slot] + "' must be " + kind);
        }
    }

    private final long[] longs = new long[SLOTS];
    private final String[] strings = new String[SLOTS];
    private int present;
    private int mistyped;

    /** Decodes one line (without or with its line terminator). */
    public NexmarkEvent decode(String line) {
        try (JsonParser parser = FACTORY.createParser(line)) {
            return read(parser);
        } catch (JsonProcessingException e) {
            throw INVALID_JSON;
        } catch (IOException e) {
            throw INVALID_JSON; // a String source has no I/O; only parse failures get here
        }
    }

    /** Decodes the UTF-8 line in {@code buf[off, off + len)}. */
    public NexmarkEvent decode(byte[] buf, int off, int len) {
        try (JsonParser parser = FACTORY.createParser(buf, off, len)) {
            return read(parser);
        } catch (JsonProcessingException e) {
            throw INVALID_JSON;
        } catch (IOException e) {
            throw INVALID_JSON; // a byte-array source has no I/O; only parse failures get here
        }
    }

    private NexmarkEvent read(JsonParser parser) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw EMPTY_LINE;
        }
        if (first != JsonToken.START_OBJECT) {
            throw NOT_AN_OBJECT;
        }
        collectFields(parser);
        requireEndOfInput(parser);
        return build();
    }

    private void collectFields(JsonParser parser) throws IOException {
        present = 0;
        mistyped = 0;
        String name;
        while ((name = parser.nextFieldName()) != null) {
            JsonToken value = parser.nextToken();
            int slot = slotOf(name);
            if (slot < 0) {
                parser.skipChildren();
                continue;
            }
            int bit = 1 << slot;
            present |= bit;
            boolean wellTyped;
            if ((LONG_SLOTS & bit) != 0) {
                wellTyped = value == JsonToken.VALUE_NUMBER_INT
                        && parser.getNumberType() != JsonParser.NumberType.BIG_INTEGER;
                if (wellTyped) {
                    longs[slot] = parser.getLongValue();
                }
            } else {
                wellTyped = value == JsonToken.VALUE_STRING;
                if (wellTyped) {
                    strings[slot] = parser.getText();
                }
            }
            if (wellTyped) {
                mistyped &= ~bit; // a repeated field: the last occurrence wins
            } else {
                mistyped |= bit;
                parser.skipChildren();
            }
        }
    }

    private static void requireEndOfInput(JsonParser parser) throws IOException {
        JsonToken after;
        try {
            after = parser.nextToken();
        } catch (JsonProcessingException e) {
            throw TRAILING_DATA;
        }
        if (after != null) {
            throw TRAILING_DATA;
        }
    }

    private NexmarkEvent build() {
        String type = string(TYPE);
        switch (type) {
            case "person" -> {
                requireAll(PERSON_FIELDS);
                return new Person(longs[ID], strings[NAME], strings[EMAIL_ADDRESS],
                        strings[CREDIT_CARD], strings[CITY], strings[STATE], longs[DATE_TIME],
                        strings[EXTRA]);
            }
            case "auction" -> {
                requireAll(AUCTION_FIELDS);
                return new Auction(longs[ID], strings[ITEM_NAME], strings[DESCRIPTION],
                        longs[INITIAL_BID], longs[RESERVE], longs[DATE_TIME], longs[EXPIRES],
                        longs[SELLER], longs[CATEGORY], strings[EXTRA]);
            }
            case "bid" -> {
                requireAll(BID_FIELDS);
                return new Bid(longs[AUCTION], longs[BIDDER], longs[PRICE], strings[CHANNEL],
                        strings[URL], longs[DATE_TIME], strings[EXTRA]);
            }
            default -> throw new MalformedRecordException("unknown type '" + shorten(type) + "'");
        }
    }

    private String string(int slot) {
        require(slot);
        return strings[slot];
    }

    private void requireAll(int[] slots) {
        for (int slot : slots) {
            require(slot);
        }
    }

    private void require(int slot) {
        int bit = 1 << slot;
        if ((present & bit) == 0) {
            throw MISSING[slot];
        }
        if ((mistyped & bit) != 0) {
            throw MISTYPED[slot];
        }
    }

    private static int slotOf(String name) {
        return switch (name) {
            case "type" -> TYPE;
            case "id" -> ID;
            case "name" -> NAME;
            case "emailAddress" -> EMAIL_ADDRESS;
            case "creditCard" -> CREDIT_CARD;
            case "city" -> CITY;
            case "state" -> STATE;
            case "dateTime" -> DATE_TIME;
            case "extra" -> EXTRA;
            case "itemName" -> ITEM_NAME;
            case "description" -> DESCRIPTION;
            case "initialBid" -> INITIAL_BID;
            case "reserve" -> RESERVE;
            case "expires" -> EXPIRES;
            case "seller" -> SELLER;
            case "category" -> CATEGORY;
            case "auction" -> AUCTION;
            case "bidder" -> BIDDER;
            case "price" -> PRICE;
            case "channel" -> CHANNEL;
            case "url" -> URL;
            default -> -1;
        };
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    private static int bits(int... slots) {
        int mask = 0;
        for (int slot : slots) {
            mask |= 1 << slot;
        }
        return mask;
    }

    /** Encodes {@code event} as one JSON object (no line terminator), {@code type} first. */
    public static String encode(NexmarkEvent event) {
        return encode(event, new JsonLine()).toString();
    }

    /**
     * Encodes {@code event} into {@code line}, reusing its buffer; write it with
     * {@link JsonLine#writeTo}. Fields come in the order of {@code NEXMARK.md}.
     */
    public static JsonLine encode(NexmarkEvent event, JsonLine line) {
        if (event instanceof Bid b) {
            line.begin().field("type", "bid").field("auction", b.auction())
                    .field("bidder", b.bidder()).field("price", b.price())
                    .field("channel", b.channel()).field("url", b.url())
                    .field("dateTime", b.dateTime()).field("extra", b.extra());
        } else if (event instanceof Auction a) {
            line.begin().field("type", "auction").field("id", a.id())
                    .field("itemName", a.itemName()).field("description", a.description())
                    .field("initialBid", a.initialBid()).field("reserve", a.reserve())
                    .field("dateTime", a.dateTime()).field("expires", a.expires())
                    .field("seller", a.seller()).field("category", a.category())
                    .field("extra", a.extra());
        } else {
            Person p = (Person) event;
            line.begin().field("type", "person").field("id", p.id()).field("name", p.name())
                    .field("emailAddress", p.emailAddress()).field("creditCard", p.creditCard())
                    .field("city", p.city()).field("state", p.state())
                    .field("dateTime", p.dateTime()).field("extra", p.extra());
        }
        return line.end();
    }
}
