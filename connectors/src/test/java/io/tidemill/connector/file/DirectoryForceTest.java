package io.tidemill.connector.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.sink.TransactionalSinkWriter;
import io.tidemill.checkpoint.store.FileSnapshotStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The renames that commit files are made durable: a child JVM runs the commit under {@code strace},
 * and after the {@code rename} its directory is opened and {@code fsync}ed. (A crash cannot be staged
 * in a test, but the system calls that make the rename survive one can be watched.)
 */
@Timeout(60)
class DirectoryForceTest {
    private static final Pattern RENAME = Pattern.compile("^(\\d+) +rename(?:at2?)?\\(.*\"([^\"]+)\".*\\)\\s+= 0$");
    private static final Pattern OPEN = Pattern.compile("^(\\d+) +openat\\(AT_FDCWD, \"([^\"]+)\", O_RDONLY\\)\\s+= (\\d+)$");
    private static final Pattern FSYNC = Pattern.compile("^(\\d+) +fsync\\((\\d+)\\)\\s+= 0$");

    @TempDir
    Path dir;

    @Test
    void givenASnapshotBlob_whenPut_thenItsDirectoryIsForcedAfterTheRename() throws Exception {
        Path store = dir.resolve("state");

        List<String> trace = traceChild(PutBlob.class, store);

        assertForcedAfterRename(trace, store.resolve("chk-1/t0"));
    }

    @Test
    void givenAPreCommittedPart_whenCommitted_thenItsDirectoryIsForcedAfterTheRename() throws Exception {
        Path out = dir.resolve("out");

        List<String> trace = traceChild(CommitPart.class, out);

        assertForcedAfterRename(trace, out.resolve("part-0-1.jsonl"));
        assertEquals(List.of("\"row\""), Files.readAllLines(out.resolve("part-0-1.jsonl")));
    }

    /** A child JVM: puts one blob into a file snapshot store at {@code args[0]}. */
    public static final class PutBlob {
        public static void main(String[] args) throws IOException {
            new FileSnapshotStore(Path.of(args[0])).put("chk-1/t0", new byte[] {1, 2, 3});
        }
    }

    /** A child JVM: writes, pre-commits and commits one part of the exactly-once sink at {@code args[0]}. */
    public static final class CommitPart {
        @SuppressWarnings("unchecked")
        public static void main(String[] args) throws Exception {
            SinkWriter<String> w = new ExactlyOnceFileSink<String>(Path.of(args[0])).createWriter(0, 1);
            TransactionalSinkWriter<String, ExactlyOnceFileSink.PendingFile> t =
                    (TransactionalSinkWriter<String, ExactlyOnceFileSink.PendingFile>) w;
            t.write("row", 0);
            t.commit(List.of(t.preCommit(1)));
            t.close();
        }
    }

    /** Some {@code fsync} of the renamed file's directory, opened after the rename by the same thread. */
    private static void assertForcedAfterRename(List<String> trace, Path committed) {
        String directory = committed.getParent().toString();
        String renamer = null;
        String directoryFd = null;
        for (String line : trace) {
            Matcher m;
            if (renamer == null && (m = RENAME.matcher(line)).matches() && m.group(2).equals(committed.toString())) {
                renamer = m.group(1);
            } else if (renamer != null && (m = OPEN.matcher(line)).matches() && m.group(1).equals(renamer)
                    && m.group(2).equals(directory)) {
                directoryFd = m.group(3);
            } else if (directoryFd != null && (m = FSYNC.matcher(line)).matches() && m.group(1).equals(renamer)
                    && m.group(2).equals(directoryFd)) {
                return;
            }
        }
        assertTrue(renamer != null, "no rename to " + committed + " in the trace:\n" + String.join("\n", trace));
        throw new AssertionError("no fsync of " + directory + " after the rename to " + committed + ":\n"
                + String.join("\n", trace));
    }

    private List<String> traceChild(Class<?> main, Path arg) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/strace")), "needs strace (.ci/run installs it)");
        Path trace = dir.resolve("strace.txt");
        Path log = dir.resolve("child.log");
        // -ff: one file per thread, so that no call is split by another thread's ("<unfinished ...>")
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/strace", "-ff", "-o", trace.toString(),
                "-e", "trace=openat,rename,renameat,renameat2,fsync", Path.of(System.getProperty("java.home"), "bin",
                        "java").toString(), "-cp", System.getProperty("java.class.path"), main.getName(),
                arg.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(p.waitFor(45, TimeUnit.SECONDS), "the child did not finish");
            assertEquals(0, p.exitValue(), Files.readString(log));
        } finally {
            // strace's tracee outlives a killed strace: kill it by pid first
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        List<String> lines = new ArrayList<>();
        try (var files = Files.list(dir)) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("strace.txt.")).toList()) {
                String tid = f.getFileName().toString().substring("strace.txt.".length());
                Files.readAllLines(f).forEach(l -> lines.add(tid + " " + l));
            }
        }
        return lines;
    }
}
