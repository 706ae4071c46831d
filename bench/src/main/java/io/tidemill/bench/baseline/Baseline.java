package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.NexmarkFileReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The single-threaded, framework-free Nexmark baseline: plain loops and hash maps, one thread.
 * It is the "COST" floor every benchmark is compared against, and an implementation independent
 * of the engine that serves as the correctness oracle for {@code NEXMARK.md}.
 *
 * <pre>{@code
 * BaselineResult result = Baseline.run("q5", Path.of("events.jsonl"), Path.of("q5.jsonl"));
 * List<String> rows = Baseline.runToLines("q7", events.iterator());
 * }</pre>
 *
 * <p>Event time: the watermark is the largest dateTime seen (over all event types) minus 5 001
 * and rises after each event; windows fire as it passes them, and everything fires at the end of
 * input. Output rows have exactly the fields of the query's table row, in that order.
 */
public final class Baseline {

    /** The queries this baseline implements. */
    public static final List<String> QUERIES =
            List.of("q0", "q1", "q2", "q3", "q4", "q5", "q7", "q8", "q11");

    private final BaselineQuery query;
    private final EventTimeClock clock = new EventTimeClock();
    private long events;

    private Baseline(BaselineQuery query) {
        this.query = query;
    }

    /**
     * Runs {@code query} over the JSON-lines file {@code input}, writing rows to {@code output}.
     * Malformed lines are skipped and counted.
     *
     * @throws IllegalArgumentException for an unknown query name
     */
    public static BaselineResult run(String query, Path input, Path output) throws IOException {
        long begin = System.nanoTime();
        create(query, row -> { }); // an unknown query fails before the output is created
        if (!Files.isReadable(input)) {
            throw new IOException("cannot read input file " + input);
        }
        try (Writer writer = new BufferedWriter(new OutputStreamWriter(
                Files.newOutputStream(output), StandardCharsets.UTF_8), 1 << 16)) {
            long[] rows = new long[1];
            Baseline baseline = new Baseline(create(query, row -> {
                rows[0]++;
                try {
                    row.writeTo(writer);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }));
            long[] malformed = new long[1];
            try {
                NexmarkFileReader.read(input, new NexmarkFileReader.Listener() {
                    @Override
                    public void onEvent(NexmarkEvent event) {
                        baseline.accept(event);
                    }

                    @Override
                    public void onMalformed(long lineNumber, String line, String reason) {
                        malformed[0]++;
                    }
                });
                baseline.finish();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.flush();
            return new BaselineResult(baseline.events, malformed[0], baseline.query.late(), rows[0],
                    System.nanoTime() - begin);
        }
    }

    /** Runs {@code query} over {@code events} and returns its output rows, for tests. */
    public static List<String> runToLines(String query, Iterator<? extends NexmarkEvent> events) {
        List<String> rows = new ArrayList<>();
        Baseline baseline = new Baseline(create(query, row -> rows.add(row.toString())));
        while (events.hasNext()) {
            baseline.accept(events.next());
        }
        baseline.finish();
        return rows;
    }

    /** Runs {@code query} over {@code events}; returns the summary (no rows are kept). */
    public static BaselineResult run(String query, Iterator<? extends NexmarkEvent> events) {
        long begin = System.nanoTime();
        long[] rows = new long[1];
        Baseline baseline = new Baseline(create(query, row -> rows[0]++));
        while (events.hasNext()) {
            baseline.accept(events.next());
        }
        baseline.finish();
        return new BaselineResult(baseline.events, 0, baseline.query.late(), rows[0],
                System.nanoTime() - begin);
    }

    private void accept(NexmarkEvent event) {
        events++;
        query.onEvent(event, clock.watermark());
        if (clock.observe(event.dateTime())) {
            query.onWatermark(clock.watermark());
        }
    }

    private void finish() {
        query.onWatermark(Long.MAX_VALUE);
        query.onEnd();
    }

    private static BaselineQuery create(String query, RowSink out) {
        Function<RowSink, BaselineQuery> constructor = switch (query.toLowerCase(Locale.ROOT)) {
            case "q0" -> Q0PassThrough::new;
            case "q1" -> Q1CurrencyConversion::new;
            case "q2" -> Q2Selection::new;
            case "q3" -> Q3LocalItemSuggestion::new;
            case "q4" -> Q4AverageClosingPrice::new;
            case "q5" -> Q5HotItems::new;
            case "q7" -> Q7HighestBid::new;
            case "q8" -> Q8MonitorNewUsers::new;
            case "q11" -> Q11UserSessions::new;
            default -> throw new IllegalArgumentException(
                    "unknown query '" + query + "', expected one of " + QUERIES);
        };
        return constructor.apply(out);
    }

    /**
     * Command line: {@code Baseline <query> <input.jsonl> <output.jsonl>}; prints the summary.
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: Baseline <query> <input.jsonl> <output.jsonl>");
            System.exit(2);
        }
        BaselineResult r;
        try {
            r = run(args[0], Path.of(args[1]), Path.of(args[2]));
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("baseline: " + e.getMessage());
            System.exit(1);
            return;
        }
        System.out.printf(Locale.ROOT,
                "%s: %d events, %d malformed, %d late, %d rows, %.3f s, %.0f events/s%n",
                args[0], r.events(), r.malformed(), r.late(), r.rows(), r.nanos() / 1e9,
                r.eventsPerSecond());
    }
}
