package io.tidemill.connector.kafka;

import io.tidemill.api.sink.Sink;
import io.tidemill.api.source.DeadLetter;
import io.tidemill.connector.nexmark.GeneratorConfig;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.NexmarkFileWriter;
import io.tidemill.connector.nexmark.NexmarkSources;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Nexmark events in Kafka: filling a topic with generated events, and reading them back. */
public final class NexmarkKafka {
    private NexmarkKafka() {}

    /**
     * Writes the same events, in the same order, as {@link NexmarkFileWriter} writes to a file, one JSON
     * line per record, spread round-robin over the topic's partitions (created with {@code partitions}
     * if the topic does not exist).
     */
    public static long generate(long events, long disorderMs, long seed, KafkaUri topic, int partitions)
            throws Exception {
        int n = ensureTopic(topic, partitions);
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, topic.bootstrapServers());
        p.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1 << 18));
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        SendErrors errors = new SendErrors();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
             Writer lines = new LineRecords(producer, topic.topic(), n, errors)) {
            long written = NexmarkFileWriter.write(GeneratorConfig.withSeed(seed), events, disorderMs, lines);
            lines.flush();
            producer.flush();
            errors.check(topic.topic());
            return written;
        }
    }

    /** Creates the topic if it is missing; returns its partition count. */
    public static int ensureTopic(KafkaUri topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, topic.bootstrapServers()))) {
            try {
                admin.createTopics(List.of(new NewTopic(topic.topic(), partitions, (short) 1))).all().get();
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
            return admin.describeTopics(List.of(topic.topic())).allTopicNames().get().get(topic.topic())
                    .partitions().size();
        }
    }

    /** The topic's events as they are when the job first starts (a bounded read). */
    public static KafkaSource<NexmarkEvent> source(KafkaUri topic, Sink<DeadLetter> deadLetters) {
        return KafkaSource.builder(topic.bootstrapServers(), topic.topic(), NexmarkSources.decoders())
                .bounded().deadLetters(deadLetters).build();
    }

    /** Sends each line written to it as one record, round-robin over the partitions. */
    private static final class LineRecords extends Writer {
        private final KafkaProducer<byte[], byte[]> producer;
        private final String topic;
        private final int partitions;
        private final SendErrors errors;
        private final StringBuilder line = new StringBuilder(256);
        private long count;

        LineRecords(KafkaProducer<byte[], byte[]> producer, String topic, int partitions, SendErrors errors) {
            this.producer = producer;
            this.topic = topic;
            this.partitions = partitions;
            this.errors = errors;
        }

        @Override
        public void write(char[] buf, int off, int len) {
            for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                    errors.check(topic);
                    producer.send(new ProducerRecord<>(topic, (int) (count++ % partitions), null,
                            line.toString().getBytes(StandardCharsets.UTF_8)), errors);
                    line.setLength(0);
                } else {
                    line.append(buf[i]);
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() throws IOException {
            if (line.length() > 0) {
                write(new char[] {'\n'}, 0, 1);
            }
        }
    }
}
