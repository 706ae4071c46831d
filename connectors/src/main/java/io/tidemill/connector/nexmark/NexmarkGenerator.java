package io.tidemill.connector.nexmark;

/**
 * A deterministic Nexmark event generator: {@link #event(long)} is a pure function of the
 * configuration and the event index, so sources at any parallelism that split the index range
 * between them produce the same stream.
 *
 * <pre>{@code
 * NexmarkGenerator generator = new NexmarkGenerator(GeneratorConfig.withSeed(42));
 * for (long i = 0; i < 1_000_000; i++) {
 *     NexmarkEvent event = generator.event(i);
 * }
 * }</pre>
 *
 * <p>Shape, after the classic generator: of every 50 consecutive indices the first is a person,
 * the next 3 are auctions and the other 46 bids. Person and auction ids are sequential from
 * {@link #FIRST_ID} and derived from the index. Sellers and bidders are persons generated at a
 * lower index, mostly the newest few; bids mostly go to the newest auction and otherwise to one
 * of the last 100. Auctions expire 2 to 12 s after they open, category is 10..14. Thread-safe.
 */
public final class NexmarkGenerator {

    /** The first person id and the first auction id. */
    public static final long FIRST_ID = 1000;

    /** Events per period of the fixed person/auction/bid mix. */
    public static final int PERIOD = 50;

    /** Auctions per period; they follow the period's one person. */
    public static final int AUCTIONS_PER_PERIOD = 3;

    private static final int HOT_PERSONS = 4;
    private static final int ACTIVE_PERSONS = 1000;
    private static final int ACTIVE_AUCTIONS = 100;

    private static final String[] FIRST_NAMES =
        {"Peter", "Paul", "Luke", "John", "Saul", "Vicky", "Kate", "Julie", "Sarah", "Deiter"};
    private static final String[] LAST_NAMES =
        {"Shultz", "Abrams", "Spencer", "White", "Bartels", "Walton", "Smith", "Jones", "Noris"};
    private static final String[] NAMES = new String[FIRST_NAMES.length * LAST_NAMES.length];
    private static final String[] EMAILS = new String[NAMES.length];
    private static final String[] CITIES = {"Portland", "Bend", "Eugene", "Boise", "Nampa",
        "Los Angeles", "San Francisco", "Seattle", "Phoenix", "New York"};
    private static final String[] STATES = {"OR", "OR", "OR", "ID", "ID", "CA", "CA", "WA", "AZ", "NY"};
    private static final String[] CREDIT_CARDS = {"4111 1111 1111 1111", "5500 0000 0000 0004",
        "3400 0000 0000 009", "6011 0000 0000 0004", "3088 0000 0000 0009", "4012 8888 8888 1881"};
    private static final String[] ITEMS = {"bicycle", "camera", "guitar", "lamp", "kettle",
        "chair", "watch", "kayak", "telescope", "typewriter"};
    private static final String[] DESCRIPTIONS = {"as new", "lightly used", "needs repair",
        "vintage", "boxed", "for parts"};
    private static final String[] CHANNELS = {"Google", "Facebook", "Baidu", "Apple"};
    private static final String[] URLS = {"https://www.nexmark.com/google/item.htm?query=1",
        "https://www.nexmark.com/facebook/item.htm?query=1",
        "https://www.nexmark.com/baidu/item.htm?query=1",
        "https://www.nexmark.com/apple/item.htm?query=1"};
    private static final String[] EXTRAS = {"", "x", "lorem", "ipsum dolor", "sit amet consectetur"};

    static {
        for (int f = 0; f < FIRST_NAMES.length; f++) {
            for (int l = 0; l < LAST_NAMES.length; l++) {
                int i = f * LAST_NAMES.length + l;
                NAMES[i] = FIRST_NAMES[f] + " " + LAST_NAMES[l];
                EMAILS[i] = FIRST_NAMES[f].toLowerCase() + "." + LAST_NAMES[l].toLowerCase()
                        + "@example.com";
            }
        }
    }

    private final GeneratorConfig config;

    /** Creates a generator for {@code config}. */
    public NexmarkGenerator(GeneratorConfig config) {
        this.config = config;
    }

    /** The configuration. */
    public GeneratorConfig config() {
        return config;
    }

    /** The event at {@code index} (0-based, non-negative). */
    public NexmarkEvent event(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("index must be >= 0, was " + index);
        }
        long period = index / PERIOD;
        int offset = (int) (index % PERIOD);
        long rnd = SplitMix64.base(config.seed(), index);
        long dateTime = dateTime(index);
        if (offset == 0) {
            return person(FIRST_ID + period, dateTime, rnd);
        }
        if (offset <= AUCTIONS_PER_PERIOD) {
            return auction(FIRST_ID + period * AUCTIONS_PER_PERIOD + offset - 1, period, dateTime, rnd);
        }
        return bid(period, dateTime, rnd);
    }

    /** The dateTime of the event at {@code index}; non-decreasing in the index. */
    public long dateTime(long index) {
        return config.firstEventTime() + index * 1000 / config.eventsPerSecondOfEventTime();
    }

    private static Person person(long id, long dateTime, long rnd) {
        int name = (int) SplitMix64.below(rnd, 0, NAMES.length);
        int city = (int) SplitMix64.below(rnd, 1, CITIES.length);
        return new Person(id, NAMES[name], EMAILS[name], pick(CREDIT_CARDS, rnd, 2), CITIES[city],
                STATES[city], dateTime, pick(EXTRAS, rnd, 3));
    }

    private static Auction auction(long id, long period, long dateTime, long rnd) {
        long initialBid = price(rnd, 0);
        long reserve = initialBid + price(rnd, 2);
        long expires = dateTime + 2_000 + SplitMix64.below(rnd, 4, 10_001);
        long seller = recentPerson(period, rnd, 5);
        long category = 10 + SplitMix64.below(rnd, 7, 5);
        return new Auction(id, pick(ITEMS, rnd, 8), pick(DESCRIPTIONS, rnd, 9), initialBid, reserve,
                dateTime, expires, seller, category, pick(EXTRAS, rnd, 10));
    }

    private static Bid bid(long period, long dateTime, long rnd) {
        // Every auction of this period precedes the bids (offsets 1..3 < 4).
        long newestAuction = FIRST_ID + period * AUCTIONS_PER_PERIOD + AUCTIONS_PER_PERIOD - 1;
        long auctions = (period + 1) * AUCTIONS_PER_PERIOD;
        long auction = SplitMix64.below(rnd, 0, 2) == 0
                ? newestAuction
                : newestAuction - SplitMix64.below(rnd, 1, Math.min(ACTIVE_AUCTIONS, auctions));
        long bidder = recentPerson(period, rnd, 2);
        int channel = (int) SplitMix64.below(rnd, 4, CHANNELS.length);
        return new Bid(auction, bidder, price(rnd, 5), CHANNELS[channel], URLS[channel], dateTime,
                pick(EXTRAS, rnd, 7));
    }

    /** A person that exists at this period: usually one of the newest few. Uses draws k and k+1. */
    private static long recentPerson(long period, long rnd, int k) {
        long newest = FIRST_ID + period;
        long persons = period + 1;
        long window = SplitMix64.below(rnd, k, 4) > 0 ? HOT_PERSONS : ACTIVE_PERSONS;
        return newest - SplitMix64.below(rnd, k + 1, Math.min(window, persons));
    }

    /** A roughly log-uniform price in [100, 10 000 000). Uses draws k and k+1. */
    private static long price(long rnd, int k) {
        long magnitude = 100;
        for (long digits = SplitMix64.below(rnd, k, 5); digits > 0; digits--) {
            magnitude *= 10;
        }
        return magnitude + SplitMix64.below(rnd, k + 1, 9 * magnitude);
    }

    private static String pick(String[] table, long rnd, int k) {
        return table[(int) SplitMix64.below(rnd, k, table.length)];
    }
}
