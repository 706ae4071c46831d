package io.tidemill.connector.file;

import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import io.tidemill.api.sink.TransactionalSinkWriter;
import io.tidemill.api.source.DeadLetter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dead-letter output of a file source: one JSON line per malformed input line with its file,
 * line number, raw text and reason, e.g. {@code {"file":"in.jsonl","line":7,"raw":"{oops","reason":"invalid JSON"}}.
 * Each source subtask writes its own writer, in the source's task (see {@link
 * io.tidemill.api.source.Source#deadLetterSink()}). Nothing is dropped silently: every bad line is
 * written and counted.
 *
 * <ul>
 *   <li>{@link #beside} / {@link #toFile}: one file, written as plain output is ({@link
 *       JsonLinesFileSink#toFile}): under a hidden name, renamed into place when the input ended. A
 *       run replaces an earlier run's file (with an empty one if no line was bad); a failed run
 *       leaves it as it was.
 *   <li>{@link #exactlyOnce}: part files in a directory, written with two-phase commit by the {@link
 *       ExactlyOnceFileSink}, for checkpointed runs: pre-committed at the barrier that records the
 *       splits' offsets and committed with the checkpoint, so after a restore the directory holds
 *       exactly the dead letters of the input before the offsets resumed from.
 * </ul>
 *
 * <pre>{@code
 * var source = NexmarkSources.file(input, DeadLetters.exactlyOnceBeside(outputDirectory));
 * }</pre>
 */
public final class DeadLetters implements Sink<DeadLetter> {
    private final Sink<DeadLetter> files;
    private final Path path;
    /**
     * Dead letters per subtask of the latest attempt: one per write, and on a restore first the lines
     * of the committed parts the subtask took over, so the count stays right across restarts.
     */
    private final Map<Integer, AtomicLong> counts = new ConcurrentHashMap<>();

    private DeadLetters(Sink<DeadLetter> files, Path path) {
        this.files = files;
        this.path = path;
    }

    /** All dead letters in one file. */
    public static DeadLetters toFile(Path file) {
        return new DeadLetters(JsonLinesFileSink.toFile(file), file);
    }

    /**
     * Dead letters to any sink (a Kafka topic, say); a transactional sink keeps them exactly once. The
     * count is of this run's writers (after a restore: from the restored checkpoint on); {@link #path()}
     * is null.
     */
    public static DeadLetters counting(Sink<DeadLetter> sink) {
        return new DeadLetters(sink, null);
    }

    /** The usual dead-letter file of an output: {@code <output>.dead-letter.jsonl}. */
    public static DeadLetters beside(Path output) {
        return toFile(output.resolveSibling(output.getFileName() + ".dead-letter.jsonl"));
    }

    /** Dead letters written exactly once, as part files in {@code directory}. */
    public static DeadLetters exactlyOnce(Path directory) {
        return new DeadLetters(new ExactlyOnceFileSink<>(directory), directory);
    }

    /** The usual exactly-once dead letters of an output directory: {@code <output>.dead-letter/}. */
    public static DeadLetters exactlyOnceBeside(Path outputDirectory) {
        return exactlyOnce(outputDirectory.resolveSibling(outputDirectory.getFileName() + ".dead-letter"));
    }

    @Override
    public boolean isBlocking() {
        return true;
    }

    /** As the sink it writes to: a Kafka topic's writer may run on a thread of its own, a file's not. */
    @Override
    public boolean canWriteAsynchronously() {
        return files.canWriteAsynchronously();
    }

    @Override
    public SinkWriter<DeadLetter> createWriter(int subtask, int parallelism) throws Exception {
        AtomicLong count = new AtomicLong();
        counts.put(subtask, count);
        SinkWriter<DeadLetter> writer = files.createWriter(subtask, parallelism);
        if (writer instanceof TransactionalSinkWriter<DeadLetter, ?> t) {
            return new CountedTransactions<>(t, count);
        }
        return new Counted(writer, count);
    }

    /** Dead letters written so far: in {@link #exactlyOnce} mode, those committed before the last restore too. */
    public long count() {
        long n = 0;
        for (AtomicLong c : counts.values()) {
            n += c.get();
        }
        return n;
    }

    /** The file, or with {@link #exactlyOnce} the directory, the dead letters go to. */
    public Path path() {
        return path;
    }

    /** Counts what goes through a writer. */
    private static class Counted implements SinkWriter<DeadLetter> {
        private final SinkWriter<DeadLetter> writer;
        final AtomicLong count;

        Counted(SinkWriter<DeadLetter> writer, AtomicLong count) {
            this.writer = writer;
            this.count = count;
        }

        @Override
        public void write(DeadLetter value, long timestamp) throws Exception {
            writer.write(value, timestamp);
            count.incrementAndGet();
        }

        @Override
        public void finish() throws Exception {
            writer.finish();
        }

        @Override
        public void close() throws Exception {
            writer.close();
        }
    }

    /** Counts, and passes the two-phase commit on. */
    private final class CountedTransactions<X> extends Counted implements TransactionalSinkWriter<DeadLetter, X> {
        private final TransactionalSinkWriter<DeadLetter, X> writer;

        CountedTransactions(TransactionalSinkWriter<DeadLetter, X> writer, AtomicLong count) {
            super(writer, count);
            this.writer = writer;
        }

        @Override
        public X preCommit(long checkpointId) throws Exception {
            return writer.preCommit(checkpointId);
        }

        @Override
        public void commit(List<X> transactions) throws Exception {
            writer.commit(transactions);
        }

        /** Recounts: after the recovery, the committed parts this subtask took over are its dead letters so far. */
        @Override
        public void recover(long restoredCheckpointId, List<X> transactions, int subtask, int parallelism)
                throws Exception {
            writer.recover(restoredCheckpointId, transactions, subtask, parallelism);
            if (path != null) {
                count.set(ExactlyOnceFileSink.committedLines(path, subtask, parallelism));
            }
        }
    }
}
