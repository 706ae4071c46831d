package io.tidemill.connector.kafka;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.ProducerInterceptor;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * A producer interceptor that records the name of the thread of every {@code send} (Kafka calls
 * {@code onSend} on the thread calling {@code send}, before the metadata wait), by topic. Configured
 * by class name ({@code interceptor.classes}), so what it records is static.
 */
public final class SendThreadRecorder implements ProducerInterceptor<byte[], byte[]> {
    private static final Map<String, List<String>> THREADS = new ConcurrentHashMap<>();

    /** The threads that sent to {@code topic}, one entry per record. */
    static List<String> threadsSendingTo(String topic) {
        return List.copyOf(THREADS.getOrDefault(topic, List.of()));
    }

    @Override
    public ProducerRecord<byte[], byte[]> onSend(ProducerRecord<byte[], byte[]> record) {
        String thread = Thread.currentThread().getName();
        THREADS.computeIfAbsent(record.topic(), t -> new CopyOnWriteArrayList<>()).add(thread);
        return record;
    }

    @Override
    public void onAcknowledgement(RecordMetadata metadata, Exception exception) {}

    @Override
    public void close() {}

    @Override
    public void configure(Map<String, ?> configs) {}
}
