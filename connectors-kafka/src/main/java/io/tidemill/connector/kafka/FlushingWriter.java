package io.tidemill.connector.kafka;

import io.tidemill.api.sink.TransactionalSinkWriter;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * At-least-once: a plain producer, flushed at every checkpoint barrier (the pre-commit, with nothing to
 * commit later), so a completed checkpoint has no output in flight.
 */
final class FlushingWriter<T> implements TransactionalSinkWriter<T, KafkaTransaction> {
    private final String topic;
    private final KafkaRecordSerializer<T> serializer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SendErrors errors = new SendErrors();

    FlushingWriter(String topic, KafkaRecordSerializer<T> serializer, Properties props) {
        this.topic = topic;
        this.serializer = serializer;
        this.producer = new KafkaProducer<>(props);
    }

    @Override
    public void write(T value, long timestamp) throws Exception {
        errors.check(topic);
        producer.send(serializer.serialize(value, timestamp, topic), errors);
    }

    @Override
    public KafkaTransaction preCommit(long checkpointId) {
        producer.flush();
        errors.check(topic);
        return null;
    }

    @Override
    public void commit(List<KafkaTransaction> transactions) {}

    @Override
    public void recover(long restoredCheckpointId, List<KafkaTransaction> transactions, int subtask,
                        int parallelism) {}

    @Override
    public void finish() {
        producer.flush();
        errors.check(topic);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
