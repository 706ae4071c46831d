package io.tidemill.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.source.DeadLetter;
import io.tidemill.api.source.SourceOutput;
import io.tidemill.api.source.SplitReader;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.NexmarkSources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@org.junit.jupiter.api.Timeout(60)
class JsonLinesFileSourceTest {
    @TempDir
    Path dir;

    private static String bid(long auction, long ts) {
        return "{\"type\":\"bid\",\"auction\":" + auction + ",\"bidder\":1,\"price\":10,\"channel\":\"c\","
                + "\"url\":\"u\",\"dateTime\":" + ts + ",\"extra\":\"\"}";
    }

    /** Reads every split of the source to its end, as the engine would. */
    private static List<NexmarkEvent> readAll(JsonLinesFileSource<NexmarkEvent> source, int parallelism)
            throws Exception {
        return readAll(source, parallelism, new ArrayList<>());
    }

    /** The same, collecting the readers' dead letters in {@code deadLetters}. */
    private static List<NexmarkEvent> readAll(JsonLinesFileSource<NexmarkEvent> source, int parallelism,
                                              List<DeadLetter> deadLetters) throws Exception {
        List<NexmarkEvent> out = new ArrayList<>();
        SourceOutput<NexmarkEvent> collector = new SourceOutput<>() {
            @Override
            public void collect(NexmarkEvent value) {
                out.add(value);
            }

            @Override
            public void collect(NexmarkEvent value, long timestamp) {
                out.add(value);
            }

            @Override
            public void deadLetter(DeadLetter letter) {
                deadLetters.add(letter);
            }
        };
        for (var split : source.createSplits(parallelism)) {
            try (SplitReader<NexmarkEvent> r = source.createReader(split, 0)) {
                while (r.read(collector, 7) != SplitReader.Status.END) {
                    // keep reading
                }
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 16})
    void givenAFileCutIntoSplits_whenAllSplitsAreRead_thenEveryLineIsReadExactlyOnce(int parallelism)
            throws Exception {
        Path file = dir.resolve("events.jsonl");
        StringBuilder sb = new StringBuilder();
        int lines = 60_000;
        for (int i = 0; i < lines; i++) {
            sb.append(bid(i, 1000 + i)).append(i % 3 == 0 ? "\r\n" : "\n");
        }
        Files.writeString(file, sb.toString());
        List<DeadLetter> dead = new ArrayList<>();

        List<NexmarkEvent> events = readAll(NexmarkSources.file(file, DeadLetters.toFile(dir.resolve("dead.jsonl"))),
                parallelism, dead);

        assertEquals(lines, events.size());
        assertEquals(lines, events.stream().map(e -> ((Bid) e).auction()).distinct().count());
        assertEquals(List.of(), dead);
    }

    @Test
    void givenMalformedLines_whenRead_thenEachGoesToTheDeadLettersWithLineNumberRawTextAndReason()
            throws Exception {
        String huge = "{\"type\":\"bid\",\"extra\":\"" + "x".repeat(2_000_000) + "\"}";
        List<String> lines = List.of(
                bid(1, 1000),                                     // 1 ok
                "{\"type\":\"bid\",\"auction\":",                 // 2 broken JSON
                "{\"type\":\"sale\",\"id\":1}",                   // 3 unknown type
                "{\"type\":\"bid\",\"auction\":1,\"bidder\":1,\"price\":10,\"channel\":\"c\",\"url\":\"u\","
                        + "\"extra\":\"\"}",                      // 4 missing dateTime
                bid(2, 1001).replace("\"price\":10", "\"price\":\"10\""), // 5 string for a number
                "",                                               // 6 empty line
                huge,                                             // 7 huge line
                bid(3, 1002));                                    // 8 ok
        Path file = dir.resolve("mixed.jsonl");
        Files.writeString(file, String.join("\n", lines) + "\n");
        List<DeadLetter> letters = new ArrayList<>();

        List<NexmarkEvent> events = readAll(NexmarkSources.file(file, DeadLetters.toFile(dir.resolve("d"))), 1,
                letters);

        assertEquals(List.of(1L, 3L), events.stream().map(e -> ((Bid) e).auction()).toList());
        assertEquals(List.of(2L, 3L, 4L, 5L, 6L, 7L), letters.stream().map(DeadLetter::line).toList());
        String reasons = letters.stream().map(DeadLetter::reason).collect(Collectors.joining("|"));
        assertEquals("invalid JSON|unknown type 'sale'|missing field 'dateTime'|field 'price' must be a long"
                + "|empty line|line longer than 1048576 bytes", reasons);
        assertEquals("{\"type\":\"bid\",\"auction\":", letters.get(0).raw());
        assertTrue(letters.get(5).raw().length() < 20_000, "huge raw text is truncated");
    }

    @Test
    void givenADirectory_whenRead_thenAllVisibleFilesAreRead() throws Exception {
        Files.writeString(dir.resolve("a.jsonl"), bid(1, 1) + "\n" + bid(2, 2) + "\n");
        Files.writeString(dir.resolve("b.jsonl"), bid(3, 3));
        Files.writeString(dir.resolve(".hidden.jsonl"), bid(4, 4));
        Path sub = Files.createDirectory(dir.resolve("input"));
        Files.move(dir.resolve("a.jsonl"), sub.resolve("a.jsonl"));
        Files.move(dir.resolve("b.jsonl"), sub.resolve("b.jsonl"));
        Files.move(dir.resolve(".hidden.jsonl"), sub.resolve(".hidden.jsonl"));

        List<NexmarkEvent> events = readAll(NexmarkSources.file(sub, DeadLetters.toFile(dir.resolve("d"))), 2);

        assertEquals(List.of(1L, 2L, 3L), events.stream().map(e -> ((Bid) e).auction()).sorted().toList());
    }

    /** How the input of a checkpointed split may change before a restore. */
    interface InputChange {
        void apply(Path file) throws Exception;
    }

    static java.util.stream.Stream<Arguments> inputChanges() {
        return java.util.stream.Stream.of(
                Arguments.of("appended", (InputChange) f -> Files.writeString(f, bid(9, 9) + "\n",
                        java.nio.file.StandardOpenOption.APPEND), "size "),
                Arguments.of("touched", (InputChange) f -> Files.setLastModifiedTime(f, FileTime.fromMillis(
                        Files.getLastModifiedTime(f).toMillis() - 60_000)), "modified "),
                Arguments.of("same size and time, other content", (InputChange) f -> {
                    FileTime time = Files.getLastModifiedTime(f);
                    byte[] bytes = Files.readAllBytes(f);
                    bytes[bytes.length / 2] = (byte) '7' == bytes[bytes.length / 2] ? (byte) '8' : (byte) '7';
                    Files.write(f, bytes);
                    Files.setLastModifiedTime(f, time);
                }, "content of the first 64 KiB differs"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputChanges")
    void givenACheckpointedSplit_whenItsFileChanged_thenTheRestoreIsRefusedSayingWhat(String name,
            InputChange change, String message) throws Exception {
        Path file = eventsFile();
        JsonLinesFileSource<NexmarkEvent> source = NexmarkSources.file(file, DeadLetters.toFile(dir.resolve("d")));
        var split = source.createSplits(1).get(0);
        change.apply(file);

        Exception e = assertThrows(JsonLinesFileSource.InputChangedException.class,
                () -> source.verifyRestored(split));

        assertTrue(e.getMessage().startsWith("input " + file + " changed since the checkpoint ("), e.getMessage());
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void givenACheckpointedSplit_whenTheRunReadsAnotherFile_thenTheRestoreIsRefused() throws Exception {
        Path file = eventsFile();
        var split = NexmarkSources.file(file, DeadLetters.toFile(dir.resolve("d"))).createSplits(1).get(0);
        Path other = Files.copy(file, dir.resolve("other.jsonl"));

        Exception e = assertThrows(JsonLinesFileSource.InputChangedException.class,
                () -> NexmarkSources.file(other, DeadLetters.toFile(dir.resolve("d"))).verifyRestored(split));

        assertTrue(e.getMessage().contains("the checkpoint reads " + file + ", which is not part of this run's "
                + "input " + other), e.getMessage());
    }

    @Test
    void givenAnUnchangedFileOrASplitWithoutIdentity_whenRestored_thenItIsAccepted() throws Exception {
        Path file = eventsFile();
        JsonLinesFileSource<NexmarkEvent> source = NexmarkSources.file(file, DeadLetters.toFile(dir.resolve("d")));

        source.verifyRestored(source.createSplits(1).get(0));
        // the split of a snapshot taken before identities were recorded
        source.verifyRestored(new JsonLinesFileSource.FileRange(file.toString(), 0, Files.size(file)));
    }

    private Path eventsFile() throws Exception {
        Path file = dir.resolve("events.jsonl");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            sb.append(bid(i, 1000 + i)).append('\n');
        }
        Files.writeString(file, sb.toString());
        return file;
    }
}
