package io.tidemill.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.cli.Tidemill;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Real paths that cannot be written (under a file, or a file where a directory is needed): the CLI
 * says what happened in words, with the path, and no Java class name reaches the user.
 */
@Timeout(60)
class FileErrorMessagesTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream oldErr;
    private PrintStream oldOut;

    @BeforeEach
    void capture() throws Exception {
        oldErr = System.err;
        oldOut = System.out;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        Files.writeString(dir.resolve("notes.txt"), "a file, not a directory");
        Files.createDirectories(dir.resolve("a-directory"));
    }

    @AfterEach
    void restore() {
        System.setErr(oldErr);
        System.setOut(oldOut);
    }

    /** A command line (paths relative to the temp dir) and what the error must say. */
    static Stream<Arguments> unwritablePaths() {
        Function<Path, String> notes = d -> d.resolve("notes.txt").toString();
        return Stream.of(
                Arguments.of("generate into a path under a file",
                        (Function<Path, List<String>>) d -> List.of("nexmark", "generate", "--events", "10",
                                "--output", d.resolve("notes.txt/events.jsonl").toString()),
                        (Function<Path, String>) d -> notes.apply(d) + " is a file, not a directory"),
                Arguments.of("a state directory under a file",
                        (Function<Path, List<String>>) d -> List.of("nexmark", "--query", "q0", "--generator",
                                "--events", "10", "--output", d.resolve("out").toString(), "--state-dir",
                                d.resolve("notes.txt/state").toString()),
                        (Function<Path, String>) d -> notes.apply(d) + " is a file, not a directory"),
                Arguments.of("a metrics file under a file",
                        (Function<Path, List<String>>) d -> List.of("nexmark", "--query", "q0", "--generator",
                                "--events", "10", "--metrics", d.resolve("notes.txt/metrics.txt").toString()),
                        (Function<Path, String>) d -> notes.apply(d) + " is a file, not a directory"),
                Arguments.of("an output directory that is a file (exactly once)",
                        (Function<Path, List<String>>) d -> List.of("nexmark", "--query", "q0", "--generator",
                                "--events", "10", "--output", notes.apply(d), "--state-dir",
                                d.resolve("state").toString()),
                        (Function<Path, String>) d -> notes.apply(d) + ": already exists, as a file"),
                Arguments.of("an output file that is a directory",
                        (Function<Path, List<String>>) d -> List.of("nexmark", "--query", "q0", "--generator",
                                "--events", "10", "--output", d.resolve("a-directory").toString()),
                        (Function<Path, String>) d -> d.resolve("a-directory") + ": is a directory"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unwritablePaths")
    void givenAPathThatCannotBeWritten_whenRun_thenTheErrorSaysWhyInWordsWithThePath(
            String what, Function<Path, List<String>> args, Function<Path, String> expected) {
        int code = Tidemill.run(args.apply(dir));

        String message = err.toString(StandardCharsets.UTF_8).lines()
                .filter(l -> l.startsWith("tidemill nexmark:")).findFirst().orElse("");
        assertEquals(1, code, err.toString(StandardCharsets.UTF_8));
        assertTrue(message.contains(expected.apply(dir)), message);
        assertFalse(message.contains("java."), "no Java class name: " + message);
        assertFalse(message.contains("Exception"), "no Java class name: " + message);
    }
}
