package io.tidemill.examples.cli;

import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.source.RateLimitedSource;
import io.tidemill.api.source.Source;
import io.tidemill.connector.file.DeadLetters;
import io.tidemill.connector.nexmark.GeneratorConfig;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.NexmarkSources;
import io.tidemill.examples.nexmark.NexmarkQueries;
import java.nio.file.Path;

/** Builds the pipeline of a Nexmark run: a source (file or generator), the query, one sink. */
public final class NexmarkJob {
    private NexmarkJob() {}

    /** The query over a JSON-lines file (or directory); malformed lines go to {@code deadLetters}. */
    public static Pipeline overFile(String query, Path input, DeadLetters deadLetters, Sink<Object> sink,
                                    int parallelism) {
        return overFile(query, input, deadLetters, sink, parallelism, 0);
    }

    /** The same, reading at most {@code rate} events per second ({@code 0}: as fast as possible). */
    public static Pipeline overFile(String query, Path input, DeadLetters deadLetters, Sink<Object> sink,
                                    int parallelism, long rate) {
        Pipeline p = Pipeline.create().setName("nexmark-" + query).setParallelism(parallelism);
        Source<NexmarkEvent> source = NexmarkSources.file(input, deadLetters);
        DataStream<NexmarkEvent> events = p.fromSource(rate > 0 ? new RateLimitedSource<>(source, rate) : source,
                NexmarkQueries.watermarkStrategy(), "nexmark-file");
        return withQuery(query, events, sink);
    }

    /** The query over the events of any source (a Kafka topic, say). */
    public static Pipeline over(String query, Source<NexmarkEvent> source, String sourceName, Sink<Object> sink,
                                int parallelism, long rate) {
        Pipeline p = Pipeline.create().setName("nexmark-" + query).setParallelism(parallelism);
        DataStream<NexmarkEvent> events = p.fromSource(rate > 0 ? new RateLimitedSource<>(source, rate) : source,
                NexmarkQueries.watermarkStrategy(), sourceName);
        return withQuery(query, events, sink);
    }

    /** The query over {@code events} generated events at {@code rate} per second (0: unlimited). */
    public static Pipeline overGenerator(String query, long events, long rate, long seed, Sink<Object> sink,
                                         int parallelism) {
        Pipeline p = Pipeline.create().setName("nexmark-" + query).setParallelism(parallelism);
        DataStream<NexmarkEvent> source = p.fromSource(
                NexmarkSources.generator(GeneratorConfig.withSeed(seed), events, rate),
                NexmarkQueries.watermarkStrategy(), "nexmark-generator");
        return withQuery(query, source, sink);
    }

    @SuppressWarnings("unchecked")
    private static Pipeline withQuery(String query, DataStream<NexmarkEvent> events, Sink<Object> sink) {
        DataStream<Object> rows = (DataStream<Object>) NexmarkQueries.build(query, events);
        rows.sinkTo(sink, "output");
        return events.pipeline();
    }
}
