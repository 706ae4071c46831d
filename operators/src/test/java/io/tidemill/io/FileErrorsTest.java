package io.tidemill.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Common I/O errors in words, with their path and without a Java class name. */
@Timeout(10)
class FileErrorsTest {
    @TempDir
    Path dir;

    static Stream<Arguments> errors() {
        return Stream.of(
                Arguments.of(new NoSuchFileException("/x/y"), "/x/y: no such file or directory"),
                Arguments.of(new AccessDeniedException("/x"), "/x: permission denied"),
                Arguments.of(new FileSystemException("/x", null, "No space left on device"),
                        "/x: no space left on device"),
                Arguments.of(new FileSystemException("/a", "/b", "Is a directory"), "/a -> /b: is a directory"),
                Arguments.of(new UncheckedIOException(new AccessDeniedException("/x")), "/x: permission denied"),
                Arguments.of(new RuntimeException(new NoSuchFileException("/x")), "/x: no such file or directory"),
                Arguments.of(new IOException("disk on fire"), "disk on fire"),
                Arguments.of(new IllegalStateException("bad"), "java.lang.IllegalStateException: bad"));
    }

    @ParameterizedTest
    @MethodSource("errors")
    void describesTheError(Throwable error, String words) {
        assertEquals(words, FileErrors.inWords(error));
    }

    @Test
    void givenAPathUnderAFile_whenWritten_thenTheFileInTheWayIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("notes.txt"), "x");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> Files.writeString(file.resolve("out.jsonl"), "row"));

        assertEquals(file.resolve("out.jsonl") + ": " + file + " is a file, not a directory", FileErrors.inWords(e));
    }

    @Test
    void givenAFileWhereADirectoryIsNeeded_whenCreated_thenItSaysSo() {
        Path file = dir.resolve("out");
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> {
            Files.writeString(file, "x");
            Files.createDirectories(file);
        });

        assertEquals(file + ": already exists, as a file (a directory is needed here?)", FileErrors.inWords(e));
    }
}
