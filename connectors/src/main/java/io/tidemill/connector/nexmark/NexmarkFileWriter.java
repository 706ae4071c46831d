package io.tidemill.connector.nexmark;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.PriorityQueue;

/**
 * Writes generated Nexmark events as a JSON-lines file, optionally out of order in event time.
 *
 * <pre>{@code
 * NexmarkFileWriter.generate(1_000_000, 3_000, 42, Path.of("events.jsonl"));
 * }</pre>
 *
 * <p>Disorder {@code D > 0}: every event gets a random delay in {@code [0, D)} and events are
 * written in order of {@code dateTime + delay} (ties by index). If event {@code f} is written
 * before {@code e} then {@code f.dateTime + f.delay <= e.dateTime + e.delay}, so
 * {@code f.dateTime - e.dateTime <= D - 1}: no event is {@code D} or more milliseconds below
 * the largest dateTime before it in the file. {@code D <= 5000} thus gives a file that obeys the
 * 5 000 ms bound of {@code NEXMARK.md}; a larger {@code D} makes files with late events.
 */
public final class NexmarkFileWriter {

    /** Salt separating the delay draws from the generator's draws of the same index. */
    private static final long DELAY_SALT = 0x6A09E667F3BCC908L;
    private static final int BUFFER_CHARS = 1 << 16;

    private NexmarkFileWriter() {
    }

    /**
     * Writes {@code events} events of the default generator configuration with {@code seed}.
     *
     * @param disorderMs 0 for a file in event-time order, else the exclusive bound of disorder
     * @return the number of lines written
     */
    public static long generate(long events, long disorderMs, long seed, Path output)
            throws IOException {
        return write(GeneratorConfig.withSeed(seed), events, disorderMs, output);
    }

    /** Writes events {@code [0, events)} of {@code config} to {@code output}, replacing it. */
    public static long write(GeneratorConfig config, long events, long disorderMs, Path output)
            throws IOException {
        try (Writer out = new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(output), StandardCharsets.UTF_8), BUFFER_CHARS)) {
            return write(config, events, disorderMs, out);
        }
    }

    /** Writes events {@code [0, events)} of {@code config} to {@code out}, one line each. */
    public static long write(GeneratorConfig config, long events, long disorderMs, Writer out)
            throws IOException {
        if (events < 0 || disorderMs < 0) {
            throw new IllegalArgumentException(
                    "events and disorder must be >= 0, were " + events + " and " + disorderMs);
        }
        NexmarkGenerator generator = new NexmarkGenerator(config);
        JsonLine line = new JsonLine();
        if (disorderMs == 0) {
            for (long i = 0; i < events; i++) {
                NexmarkJson.encode(generator.event(i), line).writeTo(out);
            }
            return events;
        }
        // Holds the events whose release time (dateTime + delay) is not yet reached; an event is
        // regenerated from its index when written, the generator being a pure function.
        PriorityQueue<Pending> pending = new PriorityQueue<>(
                Comparator.comparingLong(Pending::release).thenComparingLong(Pending::index));
        long delaySeed = config.seed() ^ DELAY_SALT;
        for (long i = 0; i < events; i++) {
            long dateTime = generator.dateTime(i);
            // Later events have dateTime >= this one, so release times <= dateTime are final.
            while (!pending.isEmpty() && pending.peek().release() <= dateTime) {
                NexmarkJson.encode(generator.event(pending.poll().index()), line).writeTo(out);
            }
            long delay = SplitMix64.below(SplitMix64.base(delaySeed, i), 0, disorderMs);
            pending.add(new Pending(dateTime + delay, i));
        }
        while (!pending.isEmpty()) {
            NexmarkJson.encode(generator.event(pending.poll().index()), line).writeTo(out);
        }
        return events;
    }

    private record Pending(long release, long index) {
    }
}
