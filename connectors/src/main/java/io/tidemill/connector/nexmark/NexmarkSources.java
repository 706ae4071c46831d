package io.tidemill.connector.nexmark;

import io.tidemill.api.source.GeneratorSource;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.source.DeadLetter;
import io.tidemill.connector.file.JsonLinesFileSource;
import io.tidemill.connector.file.LineDecoder;
import io.tidemill.connector.file.MalformedLineException;
import java.nio.file.Path;

/** Sources of Nexmark events: a JSON-lines file (or directory) and the generator. */
public final class NexmarkSources {
    private NexmarkSources() {}

    /** Reads Nexmark JSON lines; malformed lines go to {@code deadLetters}. */
    public static JsonLinesFileSource<NexmarkEvent> file(Path input, Sink<DeadLetter> deadLetters) {
        return new JsonLinesFileSource<>(input, Decoder::new, deadLetters);
    }

    /** Decoders of Nexmark JSON lines, one per reader (for other sources of the same lines: Kafka). */
    public static java.util.function.Supplier<LineDecoder<NexmarkEvent>> decoders() {
        return Decoder::new;
    }

    /**
     * Generated events {@code 0 .. events-1} ({@code events < 0}: unbounded), at most {@code rate}
     * events per second ({@code 0}: as fast as possible). The same seed gives the same events at any
     * source parallelism.
     */
    public static GeneratorSource<NexmarkEvent> generator(GeneratorConfig config, long events, long rate) {
        NexmarkGenerator generator = new NexmarkGenerator(config);
        GeneratorSource<NexmarkEvent> source = events < 0
                ? GeneratorSource.unbounded(rate, generator::event)
                : GeneratorSource.bounded(events, generator::event);
        return rate > 0 ? source.withRate(rate) : source;
    }

    /** One per split reader: {@link NexmarkJson} keeps per-thread parser state. */
    private static final class Decoder implements LineDecoder<NexmarkEvent> {
        private final NexmarkJson json = new NexmarkJson();

        @Override
        public NexmarkEvent decode(byte[] buf, int off, int len) {
            try {
                return json.decode(buf, off, len);
            } catch (MalformedRecordException e) {
                throw new MalformedLineException(e.reason());
            }
        }
    }
}
