package io.tidemill.examples.nexmark;

import io.tidemill.api.Pipeline;
import io.tidemill.api.StreamJob;
import io.tidemill.api.sink.Sink;
import io.tidemill.connector.file.DeadLetters;
import io.tidemill.connector.file.ExactlyOnceFileSink;
import io.tidemill.connector.file.JsonLinesFileSink;
import java.nio.file.Path;
import java.util.List;

/**
 * A Nexmark query as a cluster job:
 * <pre>
 * tidemill submit --parallelism 4 io.tidemill.examples.nexmark.NexmarkJob \
 *     --query q5 (--input events.jsonl | --events 1000000 [--seed 42]) [--rate 50000] \
 *     --output out/ [--exactly-once]
 * </pre>
 * The rows go to JSON-lines files in {@code --output} (one per sink subtask); with
 * {@code --exactly-once} through the two-phase-commit file sink (needs checkpoints). Malformed
 * input lines go to dead letters beside the output. Every path must be the same on every node
 * (a shared directory).
 */
public final class NexmarkJob implements StreamJob {
    @Override
    public Pipeline build(List<String> args) {
        String query = null;
        Path input = null;
        Path output = null;
        long events = -1;
        long rate = 0;
        long seed = 42;
        boolean exactlyOnce = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            switch (a) {
                case "--query" -> query = value(args, ++i, a);
                case "--input" -> input = Path.of(value(args, ++i, a));
                case "--output" -> output = Path.of(value(args, ++i, a));
                case "--events" -> events = number(args, ++i, a);
                case "--rate" -> rate = number(args, ++i, a);
                case "--seed" -> seed = number(args, ++i, a);
                case "--exactly-once" -> exactlyOnce = true;
                default -> throw new IllegalArgumentException("NexmarkJob: unknown argument '" + a + "'");
            }
        }
        if (query == null || !NexmarkQueries.names().contains(query)) {
            throw new IllegalArgumentException("NexmarkJob: --query must be one of " + NexmarkQueries.names());
        }
        if ((input == null) == (events < 0)) {
            throw new IllegalArgumentException("NexmarkJob: give either --input FILE or --events N");
        }
        if (output == null) {
            throw new IllegalArgumentException("NexmarkJob: --output DIR is required");
        }
        Sink<Object> sink = exactlyOnce ? new ExactlyOnceFileSink<>(output) : JsonLinesFileSink.toDirectory(output);
        // the parallelism is the submitted one: the cluster sets it on the pipeline after build
        if (input != null) {
            DeadLetters dead = exactlyOnce ? DeadLetters.exactlyOnceBeside(output) : DeadLetters.beside(output);
            return io.tidemill.examples.cli.NexmarkJob.overFile(query, input, dead, sink, 1, rate);
        }
        return io.tidemill.examples.cli.NexmarkJob.overGenerator(query, events, rate, seed, sink, 1);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException("NexmarkJob: " + option + " needs a value");
        }
        return args.get(i);
    }

    private static long number(List<String> args, int i, String option) {
        try {
            return Long.parseLong(value(args, i, option).replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("NexmarkJob: " + option + " needs a number, was '" + args.get(i) + "'");
        }
    }
}
