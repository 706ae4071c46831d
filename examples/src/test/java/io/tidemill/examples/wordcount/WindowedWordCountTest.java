package io.tidemill.examples.wordcount;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The README's example program runs and prints what a plain count says; the README shows its code as it is. */
@Timeout(60)
class WindowedWordCountTest {
    @Test
    void main_printsEachWordsCountPerWindowAndItsChange() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            WindowedWordCount.main(new String[0]);
        } finally {
            System.setOut(old);
        }

        assertEquals(List.of(
                "comes [0s, 10s): 1 (new)",
                "goes [10s, 20s): 1 (new)",
                "in [0s, 10s): 1 (new)",
                "mill [0s, 10s): 1 (new)",
                "mill [10s, 20s): 2 (+1)",
                "out [10s, 20s): 1 (new)",
                "stops [10s, 20s): 1 (new)",
                "the [0s, 10s): 2 (new)",
                "the [10s, 20s): 2 (+0)",
                "tide [0s, 10s): 1 (new)",
                "tide [10s, 20s): 2 (+1)",
                "tide [20s, 30s): 1 (-1)",
                "turns [0s, 10s): 1 (new)"), out.toString(StandardCharsets.UTF_8).lines().toList());
    }

    @Test
    void theReadmeShowsTheProgramAsItIs() throws Exception {
        Path module = Path.of("").toAbsolutePath();
        String program = Files.readString(module.resolve(
                "src/main/java/io/tidemill/examples/wordcount/WindowedWordCount.java"));
        String readme = Files.readString(module.getParent().resolve("README.md"));

        assertTrue(readme.contains("```java\n" + program + "```\n"),
                "README.md's code block differs from WindowedWordCount.java: copy the file into it");
    }
}
