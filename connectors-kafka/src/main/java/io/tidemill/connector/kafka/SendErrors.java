package io.tidemill.connector.kafka;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;

/** The first failed send of a writer, kept by the producer's callback and rethrown on the writer's thread. */
final class SendErrors implements Callback {
    private volatile Exception first;

    @Override
    public void onCompletion(RecordMetadata metadata, Exception e) {
        if (e != null && first == null) {
            first = e;
        }
    }

    /** @throws IllegalStateException if a send failed */
    void check(String topic) {
        Exception e = first;
        if (e != null) {
            throw new IllegalStateException("writing to Kafka topic " + topic + " failed: " + e, e);
        }
    }
}
