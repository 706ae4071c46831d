package io.tidemill.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.cli.Tidemill;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(120)
class NexmarkCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;

    @BeforeEach
    void capture() {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
    }

    /** Where bad command lines point their state and output (a run may lock them before it refuses). */
    private static final Path SCRATCH = Path.of(System.getProperty("java.io.tmpdir"), "tidemill-bad-command-lines");

    static Stream<Arguments> badCommandLines() {
        return Stream.of(
                Arguments.of(List.of("nexmark", "--query", "q5", "--input", "/no/such/file.jsonl", "--output",
                        SCRATCH.resolve("o").toString()),
                        1, "file not found: /no/such/file.jsonl"),
                Arguments.of(List.of("nexmark", "--query", "q6", "--generator", "--events", "10"), 2,
                        "unknown query 'q6'"),
                Arguments.of(List.of("nexmark", "--query", "q5", "--generator", "--events", "ten"), 2,
                        "option --events expects a number, got 'ten'"),
                Arguments.of(List.of("nexmark", "--query", "q5", "--generator", "--events", "10", "--parallelism", "0"),
                        2, "option --parallelism must be at least 1"),
                Arguments.of(List.of("nexmark", "--query", "q5", "--bogus"), 2, "unknown option '--bogus'"),
                Arguments.of(List.of("nexmark", "generate", "--events", "10"), 2, "missing option --output"),
                Arguments.of(List.of("nexmark", "--query", "q5", "--generator", "--events", "10",
                        "--tolerable-checkpoint-failures", "2"), 2, "need --state-dir"),
                Arguments.of(List.of("nexmark", "--query", "q5", "--generator", "--events", "10", "--state-dir",
                        SCRATCH.resolve("s").toString(), "--output", SCRATCH.resolve("o").toString(),
                        "--tolerable-checkpoint-failures", "-1"), 2,
                        "option --tolerable-checkpoint-failures must be at least 0"),
                Arguments.of(List.of("nosuch"), 2, "unknown command 'nosuch'"));
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void givenABadCommandLine_whenRun_thenOneLineErrorAndNonZeroExit(List<String> args, int code, String message) {
        int exit = Tidemill.run(args);

        String text = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals(code, exit, text);
        assertTrue(text.contains(message), text);
        assertEquals(1, text.lines().count(), "one line, no stack trace: " + text);
    }

    @Test
    void givenAGeneratedFileWithABadLine_whenQ2Runs_thenRowsAreWrittenAndTheBadLineIsADeadLetter()
            throws Exception {
        Path events = dir.resolve("events.jsonl");
        assertEquals(0, Tidemill.run(List.of("nexmark", "generate", "--events", "20000", "--disorder", "1000",
                "--output", events.toString())));
        Files.writeString(events, "{not json\n", java.nio.file.StandardOpenOption.APPEND);
        Path output = dir.resolve("out.jsonl");

        Path metrics = dir.resolve("metrics.txt");
        int exit = Tidemill.run(List.of("nexmark", "--query", "q2", "--input", events.toString(), "--output",
                output.toString(), "--parallelism", "2", "--metrics", metrics.toString()));

        assertEquals(0, exit, err.toString(StandardCharsets.UTF_8));
        List<String> rows = Files.readAllLines(output);
        assertTrue(rows.stream().allMatch(r -> r.matches("\\{\"auction\":\\d+,\"price\":\\d+}")), rows.toString());
        assertTrue(rows.size() > 0);
        List<String> dead = Files.readAllLines(dir.resolve("out.jsonl.dead-letter.jsonl"));
        assertEquals(1, dead.size());
        assertTrue(dead.get(0).contains("\"line\":20001"), dead.get(0));
        String summary = err.toString(StandardCharsets.UTF_8);
        assertTrue(summary.contains("dead letters 1"), summary);
        assertTrue(summary.contains("events 20,000"), summary);
        assertTrue(Files.readString(metrics).contains("tidemill_dead_letters_total{job_name=\"nexmark-q2\"} 1.0"),
                Files.readString(metrics));
    }

    @Test
    void everyCommandPrintsHelp() {
        assertEquals(0, Tidemill.run(List.of("nexmark", "--help")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("tidemill nexmark --query Q --input FILE"));
    }

    @Test
    void generateHelp_printsTheGenerateOptions_notTheQueryOnes() {
        assertEquals(0, Tidemill.run(List.of("nexmark", "generate", "--help")));
        String help = text(out);
        assertTrue(help.contains("tidemill nexmark generate --events N"), help);
        assertTrue(help.contains("--disorder"), help);
        assertTrue(!help.contains("--query"), help);
        out.reset();
        assertEquals(0, Tidemill.run(List.of("nexmark", "-h")));
        assertTrue(text(out).contains("--query"), text(out));
    }

    @Test
    @Timeout(60)
    void givenANotesFileInTheOutputDirectory_whenACheckpointedRunEnds_thenRowsCountsOnlyWhatTheJobWrote()
            throws Exception {
        Path events = generatedEvents();
        Path output = Files.createDirectories(dir.resolve("out"));
        Files.writeString(output.resolve("notes.txt"), "my notes\nsecond line\nthird line\n");

        assertEquals(0, Tidemill.run(checkpointedRun(events, output, dir.resolve("state"), "0")), text(err));

        long written = committedRows(output).size() - 3; // committedRows reads every visible file, notes too
        Matcher rows = Pattern.compile("done: .* rows ([\\d,]+) ").matcher(text(err));
        assertTrue(rows.find(), text(err));
        assertTrue(written > 0, text(err));
        assertEquals(written, Long.parseLong(rows.group(1).replace(",", "")), text(err));
        assertEquals("my notes\nsecond line\nthird line\n", Files.readString(output.resolve("notes.txt")));
    }

    @Test
    @Timeout(60)
    void givenTheGeneratorWithoutOutput_whenQ5Runs_thenItPrintsTheTopRowsAsJsonLines_mostBidsFirst()
            throws Exception {
        List<String> q5 = List.of("nexmark", "--query", "q5", "--generator", "--events", "60000",
                "--parallelism", "2");
        List<String> shown = new ArrayList<>(q5);
        shown.addAll(List.of("--show", "5"));
        assertEquals(0, Tidemill.run(shown), text(err));
        List<String> printed = text(out).lines().toList();
        assertTrue(text(err).contains("top 5 of "), text(err));
        assertTrue(text(err).contains("(most bids first)"), text(err));

        Path file = dir.resolve("q5.jsonl");
        List<String> toFile = new ArrayList<>(q5);
        toFile.addAll(List.of("--output", file.toString()));
        assertEquals(0, Tidemill.run(toFile), text(err));
        List<String> all = Files.readAllLines(file);
        ObjectMapper json = new ObjectMapper();
        List<Long> mostBids = new ArrayList<>();
        for (String row : all) {
            mostBids.add(json.readTree(row).get("num").asLong());
        }
        mostBids.sort(java.util.Comparator.reverseOrder());

        assertEquals(5, printed.size(), text(out));
        List<Long> printedBids = new ArrayList<>();
        for (String row : printed) {
            assertTrue(all.contains(row), row + " is a line the file sink wrote");
            printedBids.add(json.readTree(row).get("num").asLong());
        }
        assertEquals(mostBids.subList(0, 5), printedBids);
    }

    @Test
    @Timeout(60)
    void givenTheGeneratorWithoutOutput_whenAQueryWithoutARankingRuns_thenItPrintsTheFirstRowsAsJsonLines()
            throws Exception {
        assertEquals(0, Tidemill.run(List.of("nexmark", "--query", "q2", "--generator", "--events", "20000",
                "--parallelism", "2", "--show", "3")), text(err));

        List<String> printed = text(out).lines().toList();
        assertEquals(3, printed.size(), text(out));
        ObjectMapper json = new ObjectMapper();
        for (String row : printed) {
            assertTrue(json.readTree(row).has("auction"), row);
        }
        assertTrue(text(err).contains("first 3 of "), text(err));
        assertTrue(text(err).contains("(in arrival order)"), text(err));
    }

    @Test
    @Timeout(60)
    void givenEveryCheckpointIsCorrupt_whenRerun_thenItFailsNamingThemAndOnlyDiscardStateStartsOver()
            throws Exception {
        Path events = generatedEvents();
        Path output = dir.resolve("out");
        Path state = dir.resolve("state");
        assertEquals(0, Tidemill.run(checkpointedRun(events, output, state, "20000")), text(err));
        List<Path> blobs = completedCheckpointBlobs(state);
        assertTrue(!blobs.isEmpty(), "the run completed checkpoints");
        for (Path blob : blobs) {
            byte[] b = Files.readAllBytes(blob);
            b[b.length - 1] ^= 0x5a;
            Files.write(blob, b);
        }
        Map<String, String> before = files(output);

        err.reset();
        int refused = Tidemill.run(checkpointedRun(events, output, state, "0"));

        assertEquals(1, refused);
        for (Path blob : blobs) {
            String chk = blob.getParent().getFileName().toString();
            assertTrue(text(err).contains(chk + " (" + chk + "/" + blob.getFileName() + ": checksum mismatch)"),
                    text(err));
        }
        assertEquals(before, files(output));

        List<String> args = new ArrayList<>(checkpointedRun(events, output, state, "0"));
        args.add("--discard-state");
        assertEquals(0, Tidemill.run(args), text(err));
        assertEquals(plainRows(events), committedRows(output));
    }

    @Test
    @Timeout(60)
    void givenCommittedOutputAndAnEmptyStateDirectory_whenRerun_thenItRefusesUnlessTheStateIsDiscarded()
            throws Exception {
        Path events = generatedEvents();
        Path output = dir.resolve("out");
        Path state = dir.resolve("state");
        assertEquals(0, Tidemill.run(checkpointedRun(events, output, state, "0")), text(err));
        Map<String, String> before = files(output);
        Path unmounted = dir.resolve("unmounted");

        err.reset();
        int refused = Tidemill.run(checkpointedRun(events, output, unmounted, "0"));

        assertEquals(2, refused);
        assertTrue(text(err).contains("has no completed checkpoint (is it mounted?)"), text(err));
        assertEquals(before, files(output));
    }

    @Test
    @Timeout(60)
    void givenAPlainRunThatFails_whenItEnds_thenTheErrorSaysNoOutputWasProducedAndNoFileIsLeft() throws Exception {
        Path events = generatedEvents();
        Files.writeString(events, "{not json\n", java.nio.file.StandardOpenOption.APPEND);
        Path output = dir.resolve("out.jsonl");
        // the dead letter for the bad line cannot be written: the job fails at the end of its input
        Files.createDirectory(dir.resolve("out.jsonl.dead-letter.jsonl"));
        err.reset();

        int exit = Tidemill.run(List.of("nexmark", "--query", "q5", "--input", events.toString(), "--output",
                output.toString(), "--parallelism", "2"));

        assertEquals(1, exit);
        String text = text(err).trim();
        assertTrue(text.endsWith("; no output was produced (" + output + " not written)"), text);
        assertEquals(1, text.lines().count(), text);
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of("events.jsonl", "out.jsonl.dead-letter.jsonl"), left.map(f -> f.getFileName()
                    .toString()).filter(n -> !n.endsWith(".lock")).sorted().toList());
        }
    }

    private Path generatedEvents() throws Exception {
        Path events = dir.resolve("events.jsonl");
        assertEquals(0, Tidemill.run(List.of("nexmark", "generate", "--events", "20000", "--disorder", "1000",
                "--output", events.toString())));
        return events;
    }

    @Test
    @Timeout(60)
    void givenAPlainRunWithDeadLetters_whenRerunOverACleanInput_thenNoStaleDeadLetterIsLeft() throws Exception {
        Path events = generatedEvents();
        List<String> clean = Files.readAllLines(events);
        Files.writeString(events, "{not json\n", java.nio.file.StandardOpenOption.APPEND);
        Path output = dir.resolve("out.jsonl");
        Path dead = dir.resolve("out.jsonl.dead-letter.jsonl");
        assertEquals(0, Tidemill.run(List.of("nexmark", "--query", "q5", "--input", events.toString(), "--output",
                output.toString(), "--parallelism", "2")), text(err));
        assertEquals(1, Files.readAllLines(dead).size());
        Files.write(events, clean);
        err.reset();

        assertEquals(0, Tidemill.run(List.of("nexmark", "--query", "q5", "--input", events.toString(), "--output",
                output.toString(), "--parallelism", "2")), text(err));

        assertTrue(text(err).contains("dead letters 0 "), text(err));
        assertEquals(List.of(), Files.readAllLines(dead));
    }

    @Test
    @Timeout(60)
    void givenACheckpointedRunWithDeadLetters_whenRerunOverACleanInput_thenNoStaleDeadLetterIsLeft()
            throws Exception {
        Path events = generatedEvents();
        List<String> clean = Files.readAllLines(events);
        Files.writeString(events, "{not json\n", java.nio.file.StandardOpenOption.APPEND);
        Path output = dir.resolve("out");
        Path state = dir.resolve("state");
        assertEquals(0, Tidemill.run(checkpointedRun(events, output, state, "0")), text(err));
        assertTrue(text(err).contains("dead letters 1 "), text(err));
        assertEquals(1, committedRows(dir.resolve("out.dead-letter")).size());
        Files.write(events, clean);
        err.reset();

        List<String> rerun = new ArrayList<>(checkpointedRun(events, output, state, "0"));
        rerun.add("--discard-state");
        assertEquals(0, Tidemill.run(rerun), text(err));

        assertTrue(text(err).contains("dead letters 0 "), text(err));
        assertEquals(List.of(), committedRows(dir.resolve("out.dead-letter")));
    }

    private static List<String> checkpointedRun(Path events, Path output, Path state, String rate) {
        return List.of("nexmark", "--query", "q5", "--input", events.toString(), "--output", output.toString(),
                "--state-dir", state.toString(), "--checkpoint-interval", "100ms", "--parallelism", "2",
                "--rate", rate);
    }

    /** The rows of an uncheckpointed run over {@code events}, sorted. */
    private List<String> plainRows(Path events) throws Exception {
        Path plain = dir.resolve("plain.jsonl");
        assertEquals(0, Tidemill.run(List.of("nexmark", "--query", "q5", "--input", events.toString(), "--output",
                plain.toString(), "--parallelism", "2")), text(err));
        List<String> rows = new ArrayList<>(Files.readAllLines(plain));
        rows.sort(null);
        return rows;
    }

    private static List<Path> completedCheckpointBlobs(Path state) throws Exception {
        try (Stream<Path> s = Files.list(state)) {
            // chk-<id>/t0-<id>: the first task's blob
            return s.filter(p -> Files.exists(p.resolve("_metadata")))
                    .map(p -> p.resolve("t0-" + p.getFileName().toString().substring("chk-".length()))).sorted().toList();
        }
    }

    private static List<String> committedRows(Path output) throws Exception {
        List<String> rows = new ArrayList<>();
        for (Map.Entry<String, String> f : files(output).entrySet()) {
            if (!f.getKey().startsWith(".")) {
                rows.addAll(f.getValue().lines().toList());
            }
        }
        rows.sort(null);
        return rows;
    }

    /** Every file in {@code d}, hidden ones too, with its content. */
    private static Map<String, String> files(Path d) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> s = Files.list(d)) {
            for (Path f : s.toList()) {
                files.put(f.getFileName().toString(), Files.readString(f));
            }
        }
        return files;
    }

    private static String text(ByteArrayOutputStream stream) {
        return stream.toString(StandardCharsets.UTF_8);
    }

    @Test
    void givenAStateDir_whenAQueryRuns_thenTheSummaryReportsCheckpointCountsDurationsAndLastSize() throws Exception {
        Path events = generatedEvents();
        Path state = dir.resolve("state");

        // 2.5 s: a first checkpoint can take 0.5 s on a loaded machine, and one in flight at the end is aborted.
        int exit = Tidemill.run(checkpointedRun(events, dir.resolve("out"), state, "8000"));

        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, text);
        Matcher summary = Pattern.compile("checkpoints (\\d+) completed, 0 failed").matcher(text);
        assertTrue(summary.find(), text);
        assertTrue(Integer.parseInt(summary.group(1)) >= 1, text);
        Matcher figures = Pattern.compile("(?m)^  checkpoints: duration avg ([\\d,]+) ms, max ([\\d,]+) ms; "
                + "last size ([\\d,]+) bytes$").matcher(text);
        assertTrue(figures.find(), text);
        long avg = number(figures.group(1));
        long max = number(figures.group(2));
        assertTrue(avg <= max && max < 30_000, "avg " + avg + " ms, max " + max + " ms: " + text);
        // q5 keeps window state: the last checkpoint holds some, and its blobs take about that much on disk.
        long size = number(figures.group(3));
        long onDisk = bytesIn(state.resolve("chk-" + TidemillProcess.latestCheckpoint(state)));
        assertTrue(size > 0 && size <= onDisk, "last size " + size + ", on disk " + onDisk + ": " + text);
    }

    @Test
    @Timeout(60)
    void givenAQueryWhoseSourceOutrunsItsSessionWindows_whenRun_thenTheSummaryNamesThePeakBackpressure()
            throws Exception {
        Path metrics = dir.resolve("metrics.prom");
        // q11 sends every bid through a keyed exchange to session windows, slower than the generator.
        int exit = Tidemill.run(List.of("nexmark", "--query", "q11", "--generator", "--events", "600000",
                "--parallelism", "2", "--threads", "2", "--show", "0", "--metrics", metrics.toString()));

        String text = text(err);
        assertEquals(0, exit, text);
        Matcher line = Pattern.compile("(?m)^  backpressure: peak (\\d+\\.\\d)% of (\\d+\\.\\d) s at (.+) subtask (\\d+)$")
                .matcher(text);
        assertTrue(line.find(), text);
        double share = Double.parseDouble(line.group(1)) / 100;
        double interval = Double.parseDouble(line.group(2));
        String vertex = line.group(3);
        int subtask = Integer.parseInt(line.group(4));
        assertTrue(share > 0 && share <= 1 && interval > 0 && subtask < 2, text);
        // The same subtask's backpressured time in the final metrics covers its peak interval's share
        // (the line rounds the interval to 0.1 s).
        String series = "tidemill_task_backpressured_seconds_total{job_name=\"nexmark-q11\",subtask=\"" + subtask
                + "\",vertex=\"" + vertex + "\"} ";
        String scrape = Files.readString(metrics);
        String value = scrape.lines().filter(l -> l.startsWith(series)).findFirst()
                .orElseThrow(() -> new AssertionError("no series " + series + " in\n" + scrape))
                .substring(series.length());
        assertTrue(Double.parseDouble(value) >= share * (interval - 0.05) - 0.001, value + " s backpressured in all, "
                + "peak " + share + " of " + interval + " s");
    }

    private static long number(String digits) {
        return Long.parseLong(digits.replace(",", ""));
    }

    private static long bytesIn(Path dir) throws java.io.IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            long n = 0;
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                n += Files.size(f);
            }
            return n;
        }
    }

    @Test
    void givenAStateDirWhereNoCheckpointCanBeWritten_whenRun_thenTheRunFailsNamingTheCause() throws Exception {
        Path state = Files.createDirectories(dir.resolve("state"));
        for (int id = 1; id <= 40; id++) {
            Files.writeString(state.resolve("chk-" + id), "a file where checkpoint " + id + " needs a directory");
        }

        int exit = Tidemill.run(List.of("nexmark", "--query", "q5", "--generator", "--events", "2000000", "--rate",
                "100000", "--output", dir.resolve("out").toString(), "--state-dir", state.toString(),
                "--checkpoint-interval", "50ms", "--parallelism", "2"));

        List<String> lines = err.toString(StandardCharsets.UTF_8).lines().toList();
        String last = lines.get(lines.size() - 1);
        assertEquals(1, exit, last);
        // Default: 3 tolerated; the CLI restarts a failed run 3 times, and checkpoint ids go on across restarts.
        assertTrue(last.startsWith("tidemill nexmark: job 'nexmark-q5' failed: 4 checkpoints failed in a row "
                + "(tolerable: 3); the last: checkpoint 16: task "), last);
        assertTrue(last.endsWith("could not write its snapshot: " + state.resolve("chk-16")), last);
    }
}
