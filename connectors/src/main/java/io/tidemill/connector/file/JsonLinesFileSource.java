package io.tidemill.connector.file;

import io.tidemill.api.sink.Sink;
import io.tidemill.api.source.DeadLetter;
import io.tidemill.api.source.Source;
import io.tidemill.api.source.SourceOutput;
import io.tidemill.api.source.SourceSplit;
import io.tidemill.api.source.SplitReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads JSON-lines (or any line-based) files, one file or a directory, in parallel splits.
 *
 * <p>Each file is cut into byte ranges. A line belongs to the split in which its first byte lies:
 * a split starting at {@code start > 0} skips the partial line before its first line start, and a
 * split reads its last line past its end. So every line is read exactly once at any split count.
 * The split's offset is the byte position of the next line, ready for checkpoints. Malformed lines
 * go to the {@link #deadLetterSink() dead letters} with their line number (counted lazily, only when
 * one is found), at the point of the read where the line was, so a checkpoint's offsets and its
 * dead letters agree.
 *
 * <p>Each split records its file's {@link InputIdentity}; a split restored from a checkpoint is
 * refused if its file is no longer part of this source's input or its identity changed, so a rerun
 * never resumes at a saved offset in other data. Splits of snapshots taken before identities were
 * recorded (plain {@link FileRange}s) still restore, with a warning that the input was not verified.
 *
 * <pre>{@code
 * var source = new JsonLinesFileSource<>(Path.of("events.jsonl"), MyDecoder::new, DeadLetters.beside(out));
 * pipeline.fromSource(source, strategy, "events");
 * }</pre>
 */
public final class JsonLinesFileSource<T> implements Source<T> {
    /** Longer lines are dead letters (protects the heap from a file without newlines). */
    public static final int DEFAULT_MAX_LINE = 1 << 20;
    private static final int MIN_SPLIT = 1 << 20;
    private static final int READ_SIZE = 1 << 16;

    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesFileSource.class);

    private final Path path;
    private final Supplier<? extends LineDecoder<T>> decoders;
    private final Sink<DeadLetter> deadLetters;
    private final int maxLineLength;

    /**
     * @param decoders makes one decoder per split reader, so decoders may keep per-thread state
     */
    public JsonLinesFileSource(Path path, Supplier<? extends LineDecoder<T>> decoders, Sink<DeadLetter> deadLetters) {
        this(path, decoders, deadLetters, DEFAULT_MAX_LINE);
    }

    public JsonLinesFileSource(Path path, Supplier<? extends LineDecoder<T>> decoders, Sink<DeadLetter> deadLetters,
                               int maxLineLength) {
        this.path = path;
        this.decoders = decoders;
        this.deadLetters = deadLetters;
        this.maxLineLength = maxLineLength;
    }

    @Override
    public Sink<DeadLetter> deadLetterSink() {
        return deadLetters;
    }

    @Override
    public boolean isBounded() {
        return true;
    }

    /** The files to read, checked up front so that a missing input is a clear error. */
    public List<Path> files() throws IOException {
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null, "input file not found");
        }
        if (!Files.isDirectory(path)) {
            return List.of(path);
        }
        try (Stream<Path> s = Files.list(path)) {
            return s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted().toList();
        }
    }

    @Override
    public List<IdentifiedRange> createSplits(int parallelism) throws IOException {
        List<IdentifiedRange> splits = new ArrayList<>();
        for (Path f : files()) {
            InputIdentity identity = InputIdentity.of(f);
            long size = identity.size();
            int n = (int) Math.max(1, Math.min(parallelism, size / MIN_SPLIT));
            for (int i = 0; i < n; i++) {
                splits.add(new IdentifiedRange(new FileRange(f.toString(), size * i / n, size * (i + 1) / n),
                        identity));
            }
        }
        return splits;
    }

    @Override
    public SplitReader<T> createReader(SourceSplit split, long offset) throws IOException {
        return new RangeReader(split instanceof IdentifiedRange r ? r.range() : (FileRange) split, offset);
    }

    @Override
    public void verifyRestored(SourceSplit split) throws IOException {
        FileRange range = split instanceof IdentifiedRange r ? r.range() : (FileRange) split;
        Path file = Path.of(range.file()).toAbsolutePath().normalize();
        if (files().stream().noneMatch(f -> f.toAbsolutePath().normalize().equals(file))) {
            throw new InputChangedException("the checkpoint reads " + range.file() + ", which is not part of this "
                    + "run's input " + path + "; rerun with the checkpoint's input, or start over (--discard-state)");
        }
        if (!(split instanceof IdentifiedRange r)) {
            LOG.warn("the checkpoint predates input identities: {} cannot be verified to be the file it read",
                    range.file());
            return;
        }
        String changes = r.input().changesTo(InputIdentity.of(file));
        if (!changes.isEmpty()) {
            throw new InputChangedException("input " + range.file() + " changed since the checkpoint (" + changes
                    + "); rerun with the file the checkpoint read, or start over (--discard-state)");
        }
    }

    /** Bytes {@code [start, end)} of a file, by line starts. The split of snapshots taken before identities. */
    public record FileRange(String file, long start, long end) implements SourceSplit {
        @Override
        public String splitId() {
            return file + ":" + start;
        }
    }

    /** A {@link FileRange} and the identity of its file when the split was made: the split a checkpoint saves. */
    public record IdentifiedRange(FileRange range, InputIdentity input) implements SourceSplit {
        @Override
        public String splitId() {
            return range.splitId();
        }
    }

    /** A restored split's input is not the one its checkpoint read. */
    public static final class InputChangedException extends IOException {
        InputChangedException(String message) {
            super(message);
        }
    }

    private final class RangeReader implements SplitReader<T> {
        private final FileRange range;
        private final LineDecoder<T> decoder = decoders.get();
        private final FileChannel channel;
        private byte[] bytes;
        /** Unconsumed bytes are {@code bytes[pos, limit)}; {@code bytes[0]} is at file position {@code base}. */
        private int pos;
        private int limit;
        private long base;
        private boolean eof;
        private boolean skippingLongLine;
        private long lineNumber = -1;

        RangeReader(FileRange range, long offset) throws IOException {
            this.range = range;
            this.channel = FileChannel.open(Path.of(range.file()), StandardOpenOption.READ);
            this.bytes = new byte[1 << 16];
            long startAt = offset > 0 ? offset : range.start();
            if (offset <= 0 && range.start() > 0) {
                startAt = range.start() - 1;
                channel.position(startAt);
                base = startAt;
                skipPartialLine();
            } else {
                channel.position(startAt);
                base = startAt;
            }
        }

        /** Positions after the first newline at or after {@code start - 1}. */
        private void skipPartialLine() throws IOException {
            while (true) {
                int nl = Newlines.indexOf(bytes, pos, limit);
                if (nl >= 0) {
                    pos = nl + 1;
                    return;
                }
                pos = limit;
                if (!fill()) {
                    return;
                }
            }
        }

        /** Reads more bytes, keeping {@code [pos, limit)}; false at end of file. */
        private boolean fill() throws IOException {
            if (eof) {
                return false;
            }
            if (pos > 0) {
                System.arraycopy(bytes, pos, bytes, 0, limit - pos);
                base += pos;
                limit -= pos;
                pos = 0;
            }
            if (limit == bytes.length) {
                if (bytes.length >= maxLineLength + 2) {
                    return true;
                }
                bytes = java.util.Arrays.copyOf(bytes, Math.min(bytes.length * 2, maxLineLength + 2));
            }
            // Straight into the line buffer: no intermediate copy.
            int n = channel.read(ByteBuffer.wrap(bytes, limit, Math.min(READ_SIZE, bytes.length - limit)));
            if (n < 0) {
                eof = true;
                return false;
            }
            limit += n;
            return true;
        }

        @Override
        public Status read(SourceOutput<T> out, int max) throws IOException {
            int emitted = 0;
            while (emitted < max) {
                long lineStart = base + pos;
                if (lineStart >= range.end() && !(range.start() == range.end())) {
                    return Status.END;
                }
                int nl = Newlines.indexOf(bytes, pos, limit);
                if (nl < 0) {
                    if (limit - pos > maxLineLength) {
                        tooLong(out);
                        continue;
                    }
                    if (fill()) {
                        continue;
                    }
                    if (limit > pos) {
                        nl = limit;
                    } else {
                        return Status.END;
                    }
                }
                int end = nl;
                if (end > pos && bytes[end - 1] == '\r') {
                    end--;
                }
                if (skippingLongLine) {
                    skippingLongLine = false;
                } else if (decodeLine(out, pos, end - pos)) {
                    emitted++;
                }
                pos = Math.min(nl + 1, limit);
                if (lineNumber > 0) {
                    lineNumber++;
                }
            }
            return Status.MORE;
        }

        private boolean decodeLine(SourceOutput<T> out, int off, int len) {
            T value;
            try {
                value = decoder.decode(bytes, off, len);
            } catch (RuntimeException e) {
                deadLetter(out, new String(bytes, off, len, StandardCharsets.UTF_8), reasonOf(e));
                return false;
            }
            out.collect(value);
            return true;
        }

        private void tooLong(SourceOutput<T> out) throws IOException {
            deadLetter(out, new String(bytes, pos, Math.min(200, limit - pos), StandardCharsets.UTF_8),
                    "line longer than " + maxLineLength + " bytes");
            skippingLongLine = true;
            // Drop what we have and keep reading until the newline that ends the long line.
            while (true) {
                for (int i = pos; i < limit; i++) {
                    if (bytes[i] == '\n') {
                        pos = i;
                        return;
                    }
                }
                pos = limit;
                if (!fill()) {
                    skippingLongLine = false;
                    return;
                }
            }
        }

        private void deadLetter(SourceOutput<T> out, String raw, String reason) {
            if (lineNumber < 0) {
                lineNumber = countLinesBefore(base + pos) + 1;
            }
            out.deadLetter(new DeadLetter(range.file(), lineNumber, raw, reason));
        }

        /** Counts newlines before {@code position}; only done once a dead letter needs a line number. */
        private long countLinesBefore(long position) {
            try (FileChannel c = FileChannel.open(Path.of(range.file()), StandardOpenOption.READ)) {
                ByteBuffer b = ByteBuffer.allocate(1 << 16);
                long lines = 0;
                long read = 0;
                while (read < position) {
                    b.clear().limit((int) Math.min(b.capacity(), position - read));
                    int n = c.read(b);
                    if (n < 0) {
                        break;
                    }
                    for (int i = 0; i < n; i++) {
                        if (b.get(i) == '\n') {
                            lines++;
                        }
                    }
                    read += n;
                }
                return lines;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private String reasonOf(RuntimeException e) {
            String m = e.getMessage();
            return m == null ? e.getClass().getSimpleName() : m;
        }

        @Override
        public long offset() {
            return base + pos;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }
}
