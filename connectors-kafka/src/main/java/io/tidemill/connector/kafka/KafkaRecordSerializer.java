package io.tidemill.connector.kafka;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Turns a record into a Kafka record of {@code topic}: its value, and the key and partition the user
 * chooses (a null partition lets Kafka's partitioner pick one from the key). One instance per sink
 * subtask, so it may keep buffers.
 */
@FunctionalInterface
public interface KafkaRecordSerializer<T> {
    ProducerRecord<byte[], byte[]> serialize(T value, long timestamp, String topic) throws Exception;
}
