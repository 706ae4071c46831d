package io.tidemill.connector.kafka;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tidemill.connector.file.JsonRowWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The default {@link KafkaRecordSerializer}: each value as one JSON document, written as the JSON-lines
 * file sinks write a row (so a topic holds the same rows as an output file), without a key, or with a
 * key chosen by a function.
 */
final class JsonValues<T> implements KafkaRecordSerializer<T> {
    private static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FLUSH_AFTER_WRITE_VALUE);

    private final JsonRowWriter rows = new JsonRowWriter(MAPPER);
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
    private final JsonGenerator generator;
    private final Function<? super T, String> key;

    JsonValues(Function<? super T, String> key) {
        this.key = key;
        try {
            this.generator = MAPPER.getFactory().createGenerator(bytes);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        generator.setRootValueSeparator(null);
    }

    @Override
    public ProducerRecord<byte[], byte[]> serialize(T value, long timestamp, String topic) throws IOException {
        bytes.reset();
        rows.write(value, generator);
        generator.flush();
        byte[] k = key == null ? null : key.apply(value).getBytes(StandardCharsets.UTF_8);
        return new ProducerRecord<>(topic, null, timestamp >= 0 ? timestamp : null, k, bytes.toByteArray());
    }
}
