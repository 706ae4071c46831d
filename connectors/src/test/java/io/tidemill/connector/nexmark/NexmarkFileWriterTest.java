package io.tidemill.connector.nexmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NexmarkFileWriterTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "disorder {0} ms")
    @CsvSource({"0, 0", "1, 0", "100, 90", "3000, 2900", "5000, 4900"})
    void givenDisorder_whenFileWritten_thenMaxLagBelowBoundAndSameEvents(long disorder, long minLag)
            throws IOException {
        Path file = dir.resolve("events.jsonl");
        long events = 200_000;
        NexmarkFileWriter.generate(events, disorder, 42, file);

        List<NexmarkEvent> read = readAll(file);
        long maxSeen = read.get(0).dateTime();
        long maxLag = 0;
        for (NexmarkEvent event : read) {
            maxLag = Math.max(maxLag, maxSeen - event.dateTime());
            maxSeen = Math.max(maxSeen, event.dateTime());
        }
        assertTrue(maxLag <= Math.max(0, disorder - 1), "max lag " + maxLag);
        assertTrue(maxLag >= minLag, "max lag " + maxLag + " shows too little disorder");
        assertEquals(events, read.size());
        NexmarkGenerator generator = new NexmarkGenerator(GeneratorConfig.withSeed(42));
        Map<NexmarkEvent, Integer> expected = new HashMap<>();
        for (long i = 0; i < events; i++) {
            expected.merge(generator.event(i), 1, Integer::sum);
        }
        Map<NexmarkEvent, Integer> actual = new HashMap<>();
        for (NexmarkEvent event : read) {
            actual.merge(event, 1, Integer::sum);
        }
        assertEquals(expected, actual);
    }

    @Test
    void givenShuffledFile_whenRead_thenEveryReferencedIdExistsInTheFile() throws IOException {
        Path file = dir.resolve("events.jsonl");
        NexmarkFileWriter.generate(100_000, 4_000, 9, file);
        Set<Long> persons = new HashSet<>();
        Set<Long> auctions = new HashSet<>();
        List<NexmarkEvent> events = readAll(file);
        for (NexmarkEvent event : events) {
            if (event instanceof Person p) {
                persons.add(p.id());
            } else if (event instanceof Auction a) {
                auctions.add(a.id());
            }
        }
        for (NexmarkEvent event : events) {
            if (event instanceof Auction a) {
                assertTrue(persons.contains(a.seller()), "seller " + a.seller());
            } else if (event instanceof Bid b) {
                assertTrue(auctions.contains(b.auction()), "auction " + b.auction());
                assertTrue(persons.contains(b.bidder()), "bidder " + b.bidder());
            }
        }
    }

    @Test
    void givenFileWithBadLinesAndCrLf_whenRead_thenEventsAndNumberedMalformedLines()
            throws IOException {
        Path file = dir.resolve("mixed.jsonl");
        String bid = NexmarkJson.encode(new Bid(1, 2, 3, "c", "u", 4, "e"));
        Files.writeString(file, bid + "\r\n{oops\n\n" + bid + "\n" + bid, StandardCharsets.UTF_8);
        List<NexmarkEvent> events = new ArrayList<>();
        List<String> bad = new ArrayList<>();

        long lines = NexmarkFileReader.read(file, new NexmarkFileReader.Listener() {
            @Override
            public void onEvent(NexmarkEvent event) {
                events.add(event);
            }

            @Override
            public void onMalformed(long lineNumber, String line, String reason) {
                bad.add(lineNumber + "|" + line + "|" + reason);
            }
        });

        assertEquals(5, lines);
        assertEquals(3, events.size());
        assertEquals(List.of("2|{oops|invalid JSON", "3||empty line"), bad);
    }

    private static List<NexmarkEvent> readAll(Path file) throws IOException {
        List<NexmarkEvent> events = new ArrayList<>();
        NexmarkFileReader.read(file, new NexmarkFileReader.Listener() {
            @Override
            public void onEvent(NexmarkEvent event) {
                events.add(event);
            }

            @Override
            public void onMalformed(long lineNumber, String line, String reason) {
                throw new AssertionError("line " + lineNumber + ": " + reason);
            }
        });
        return events;
    }
}
