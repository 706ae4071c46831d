package io.tidemill.connector.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NexmarkGeneratorTest {

    private static final int EVENTS = 50_000;

    private final NexmarkGenerator generator = new NexmarkGenerator(GeneratorConfig.withSeed(42));

    @ParameterizedTest(name = "split in {0}")
    @ValueSource(ints = {1, 2, 3, 7})
    void givenSameSeed_whenIndexRangeSplitAndReversed_thenSameStream(int splits) {
        NexmarkGenerator other = new NexmarkGenerator(GeneratorConfig.withSeed(42));
        NexmarkEvent[] split = new NexmarkEvent[5_000];
        for (int s = splits - 1; s >= 0; s--) {
            for (int i = s; i < split.length; i += splits) {
                split[i] = other.event(i);
            }
        }
        for (int i = 0; i < split.length; i++) {
            assertEquals(generator.event(i), split[i]);
        }
    }

    @Test
    void givenDifferentSeeds_whenGenerated_thenStreamsDiffer() {
        NexmarkGenerator other = new NexmarkGenerator(GeneratorConfig.withSeed(43));
        List<NexmarkEvent> a = new ArrayList<>();
        List<NexmarkEvent> b = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            a.add(generator.event(i));
            b.add(other.event(i));
        }
        assertNotEquals(a, b);
    }

    @Test
    void givenAnyPeriodOf50_whenGenerated_thenOnePersonThreeAuctions46Bids() {
        for (long i = 0; i < EVENTS; i++) {
            NexmarkEvent event = generator.event(i);
            long offset = i % 50;
            Class<?> expected = offset == 0 ? Person.class : offset <= 3 ? Auction.class : Bid.class;
            assertEquals(expected, event.getClass(), "index " + i);
        }
    }

    @Test
    void givenConfig_whenGenerated_thenDateTimesFollowTheRate() {
        NexmarkGenerator fast = new NexmarkGenerator(new GeneratorConfig(1, 5_000, 10_000));
        assertEquals(5_000, fast.event(0).dateTime());
        assertEquals(5_000, fast.event(9).dateTime());
        assertEquals(5_001, fast.event(10).dateTime());
        assertEquals(6_000, fast.event(10_000).dateTime());
        NexmarkGenerator slow = new NexmarkGenerator(new GeneratorConfig(1, 0, 3));
        assertEquals(333, slow.event(1).dateTime());
        assertEquals(666, slow.event(2).dateTime());
        assertEquals(1_000, slow.event(3).dateTime());
    }

    @Test
    void givenStream_whenGenerated_thenIdsSequentialAndReferencesExist() {
        long nextPerson = NexmarkGenerator.FIRST_ID;
        long nextAuction = NexmarkGenerator.FIRST_ID;
        long bids = 0;
        long hotBids = 0;
        for (long i = 0; i < EVENTS; i++) {
            NexmarkEvent event = generator.event(i);
            if (event instanceof Person p) {
                assertEquals(nextPerson++, p.id());
                assertTrue(Set.of("OR", "ID", "CA", "WA", "AZ", "NY").contains(p.state()));
            } else if (event instanceof Auction a) {
                assertEquals(nextAuction++, a.id());
                assertTrue(a.seller() >= NexmarkGenerator.FIRST_ID && a.seller() < nextPerson);
                assertTrue(a.category() >= 10 && a.category() <= 14);
                long open = a.expires() - a.dateTime();
                assertTrue(open >= 2_000 && open <= 12_000, "open for " + open);
            } else {
                Bid b = (Bid) event;
                bids++;
                assertTrue(b.auction() >= NexmarkGenerator.FIRST_ID && b.auction() < nextAuction);
                assertTrue(b.bidder() >= NexmarkGenerator.FIRST_ID && b.bidder() < nextPerson);
                assertTrue(b.price() > 0);
                if (b.auction() == nextAuction - 1) {
                    hotBids++;
                }
            }
        }
        assertEquals(EVENTS / 50, nextPerson - NexmarkGenerator.FIRST_ID);
        assertEquals(EVENTS / 50 * 3, nextAuction - NexmarkGenerator.FIRST_ID);
        assertTrue(hotBids > bids * 4 / 10, "bids to the newest auction: " + hotBids + " of " + bids);
    }

    @Test
    void givenStream_whenGenerated_thenStatesOfQ3AreCommonAndAllCategoriesOccur() {
        long persons = 0;
        long local = 0;
        long[] categories = new long[15];
        for (long i = 0; i < EVENTS; i++) {
            NexmarkEvent event = generator.event(i);
            if (event instanceof Person p) {
                persons++;
                if (Set.of("OR", "ID", "CA").contains(p.state())) {
                    local++;
                }
            } else if (event instanceof Auction a) {
                categories[(int) a.category()]++;
            }
        }
        assertTrue(local > persons / 2 && local < persons, local + " of " + persons);
        for (int c = 10; c <= 14; c++) {
            assertTrue(categories[c] > 0, "category " + c);
        }
    }
}
