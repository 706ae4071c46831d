package io.tidemill.connector.file;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.sink.TransactionalSinkWriter;
import io.tidemill.checkpoint.store.AtomicRename;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JSON-lines files written exactly once with two-phase commit, into a directory:
 *
 * <ul>
 *   <li>records go to a hidden in-progress file {@code .part-<subtask>-<uuid>.inprogress};
 *   <li>at checkpoint {@code n}'s barrier the file is flushed, forced to disk and closed, and the
 *       directory forced (pre-commit); it becomes {@code part-<subtask>-<n>.jsonl} by an atomic rename,
 *       made durable by forcing the directory again, when {@code n} completes;
 *   <li>at the end of input the last file becomes {@code part-<subtask>-final.jsonl};
 *   <li>after a restore from checkpoint {@code n}, the restored transactions are committed and what
 *       runs after {@code n} left behind (in-progress files, parts of later checkpoints, final parts)
 *       is deleted, so the directory holds exactly the output up to {@code n}.
 * </ul>
 * Readers should ignore names starting with {@code .}.
 */
public final class ExactlyOnceFileSink<T> implements Sink<T> {
    private static final Logger LOG = LoggerFactory.getLogger(ExactlyOnceFileSink.class);
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);
    private static final Pattern OURS = Pattern.compile("\\.?part-(\\d+)-(.+?)\\.(jsonl|inprogress)");

    private final Path directory;

    public ExactlyOnceFileSink(Path directory) {
        this.directory = directory;
    }

    /**
     * Lines in the committed parts of {@code directory} that subtask {@code subtask} of {@code
     * parallelism} takes over after a restore (those of old subtasks {@code i} with {@code i mod
     * parallelism == subtask}), as its {@link TransactionalSinkWriter#recover recovery} left them.
     */
    public static long committedLines(Path directory, int subtask, int parallelism) throws IOException {
        long lines = 0;
        try (Stream<Path> files = Files.list(directory)) {
            for (Path p : files.toList()) {
                String name = p.getFileName().toString();
                Matcher m = OURS.matcher(name);
                if (m.matches() && !name.startsWith(".") && Integer.parseInt(m.group(1)) % parallelism == subtask) {
                    try (Stream<String> l = Files.lines(p)) {
                        lines += l.count();
                    }
                }
            }
        }
        return lines;
    }

    /** A pre-committed file waiting for its checkpoint to complete. */
    public record PendingFile(String inProgress, String committed) {}

    /** Pre-commits force files to disk: keep that off the cooperative workers. */
    @Override
    public boolean isBlocking() {
        return true;
    }

    @Override
    public SinkWriter<T> createWriter(int subtask, int parallelism) throws IOException {
        Files.createDirectories(directory);
        return new Writer(subtask);
    }

    private final class Writer implements TransactionalSinkWriter<T, PendingFile> {
        private final int subtask;
        /** The same row encoding as {@link JsonLinesFileSink}. */
        private final JsonRowWriter rows = new JsonRowWriter(MAPPER);
        private Path current;
        private FileChannel channel;
        private JsonGenerator generator;

        Writer(int subtask) {
            this.subtask = subtask;
        }

        private void openFile() throws IOException {
            current = directory.resolve(".part-" + subtask + "-" + UUID.randomUUID() + ".inprogress");
            channel = FileChannel.open(current, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            OutputStream os = new java.io.BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
            generator = MAPPER.getFactory().createGenerator(os);
            generator.setRootValueSeparator(null);
        }

        @Override
        public void write(T value, long timestamp) throws Exception {
            if (generator == null) {
                openFile();
            }
            rows.write(value, generator);
            generator.writeRaw('\n');
        }

        /** Flushes, forces and closes the current file; returns it, or null if nothing was written. */
        private Path closeFile() throws IOException {
            if (generator == null) {
                return null;
            }
            generator.flush();
            channel.force(true);
            generator.close();
            channel.close();
            generator = null;
            Path p = current;
            current = null;
            return p;
        }

        @Override
        public PendingFile preCommit(long checkpointId) throws Exception {
            Path p = closeFile();
            if (p == null) {
                return null;
            }
            // The in-progress file's name must survive a crash too: the commit after a restore renames it.
            AtomicRename.forceDirectory(directory);
            return new PendingFile(p.getFileName().toString(), "part-" + subtask + "-" + checkpointId + ".jsonl");
        }

        @Override
        public void commit(List<PendingFile> transactions) throws Exception {
            for (PendingFile f : transactions) {
                if (f != null) {
                    publish(directory.resolve(f.inProgress()), directory.resolve(f.committed()));
                }
            }
        }

        private void publish(Path from, Path to) throws IOException {
            if (!Files.exists(from)) {
                if (!Files.exists(to)) {
                    LOG.warn("pre-committed file {} is missing; its records are lost", from);
                }
                return;
            }
            AtomicRename.commit(from, to);
        }

        @Override
        public void recover(long restoredCheckpointId, List<PendingFile> transactions, int subtask,
                            int parallelism) throws Exception {
            commit(transactions);
            try (Stream<Path> files = Files.list(directory)) {
                for (Path p : files.toList()) {
                    Matcher m = OURS.matcher(p.getFileName().toString());
                    if (!m.matches() || Integer.parseInt(m.group(1)) % parallelism != subtask) {
                        continue;
                    }
                    if (isLeftOver(p.getFileName().toString(), m.group(2), restoredCheckpointId)) {
                        Files.deleteIfExists(p);
                    }
                }
            }
        }

        private boolean isLeftOver(String name, String tag, long restored) {
            if (name.startsWith(".")) {
                return true;
            }
            if (tag.equals("final")) {
                return true;
            }
            try {
                return Long.parseLong(tag) > restored;
            } catch (NumberFormatException e) {
                return false;
            }
        }

        @Override
        public void finish() throws Exception {
            Path p = closeFile();
            if (p != null) {
                publish(p, directory.resolve("part-" + subtask + "-final.jsonl"));
            }
        }

        @Override
        public void close() throws Exception {
            if (generator != null) {
                generator.close();
                channel.close();
                generator = null;
            }
        }
    }
}
