package io.tidemill.connector.kafka;

import io.tidemill.api.sink.Sink;
import io.tidemill.api.sink.SinkWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes records to a Kafka topic, at least once or exactly once.
 *
 * <ul>
 *   <li>{@link Guarantee#AT_LEAST_ONCE}: each checkpoint barrier waits until everything sent so far is
 *       acknowledged (flush), so a completed checkpoint never has output still in flight; after a
 *       failure, output since the restored checkpoint is written again.
 *   <li>{@link Guarantee#EXACTLY_ONCE}: output goes into Kafka transactions (see {@link TransactionalWriter}):
 *       pre-committed at the barrier, committed when the checkpoint completes, so {@code read_committed}
 *       consumers see each record once. Transactional ids are {@code prefix-subtask-slot}, stable across
 *       restarts; a restore commits the transactions of the restored checkpoint and aborts any other a
 *       killed run left open. The prefix must be unique to the job.
 * </ul>
 * Keys and partitions are chosen by the {@link KafkaRecordSerializer} (default: JSON values, no key).
 * Kafka's calls block, so the sink's task gets a thread of its own; as a source's dead letters, its
 * writer runs on a thread of its own beside the source's cooperative task.
 *
 * <pre>{@code
 * KafkaSink<Row> sink = KafkaSink.<Row>builder("localhost:9092", "results")
 *         .keyedBy(row -> String.valueOf(row.auction())).exactlyOnce("my-job").build();
 * rows.sinkTo(sink, "results");
 * }</pre>
 */
public final class KafkaSink<T> implements Sink<T> {
    /** What a restart may do to the output. */
    public enum Guarantee { AT_LEAST_ONCE, EXACTLY_ONCE }

    private final KafkaSinkConfig config;
    private final Supplier<? extends KafkaRecordSerializer<T>> serializers;

    private KafkaSink(KafkaSinkConfig config, Supplier<? extends KafkaRecordSerializer<T>> serializers) {
        this.config = config;
        this.serializers = serializers;
    }

    public static <T> Builder<T> builder(String bootstrapServers, String topic) {
        return new Builder<>(bootstrapServers, topic);
    }

    public KafkaSinkConfig config() {
        return config;
    }

    @Override
    public boolean isBlocking() {
        return true;
    }

    /**
     * A writer may run on a thread of its own (as a source's dead letters do): a restarted job's writer
     * does not depend on the old one having closed, as its transactional ids fence the old producers.
     */
    @Override
    public boolean canWriteAsynchronously() {
        return true;
    }

    @Override
    public SinkWriter<T> createWriter(int subtask, int parallelism) {
        KafkaRecordSerializer<T> serializer = serializers.get();
        if (config.guarantee() == Guarantee.AT_LEAST_ONCE) {
            return new FlushingWriter<>(config.topic(), serializer, producerProperties(null));
        }
        return new TransactionalWriter<>(config.topic(), config.transactionalIdPrefix(), subtask, parallelism,
                serializer, this::producerProperties);
    }

    /** Producer settings; with a transactional id for exactly-once. */
    Properties producerProperties(String transactionalId) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, String.valueOf(1 << 17));
        if (transactionalId != null) {
            p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
            p.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(config.transactionTimeout().toMillis()));
        }
        p.putAll(config.properties());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Builds a {@link KafkaSink}: at least once with JSON values unless told otherwise. */
    public static final class Builder<T> {
        private final String bootstrapServers;
        private final String topic;
        private Guarantee guarantee = Guarantee.AT_LEAST_ONCE;
        private String transactionalIdPrefix;
        private Duration transactionTimeout = Duration.ofMinutes(5);
        private Supplier<? extends KafkaRecordSerializer<T>> serializers = () -> new JsonValues<>(null);
        private final Map<String, String> properties = new HashMap<>();

        private Builder(String bootstrapServers, String topic) {
            this.bootstrapServers = bootstrapServers;
            this.topic = topic;
        }

        /** Exactly once through Kafka transactions; {@code transactionalIdPrefix} must be unique to the job. */
        public Builder<T> exactlyOnce(String transactionalIdPrefix) {
            this.guarantee = Guarantee.EXACTLY_ONCE;
            this.transactionalIdPrefix = transactionalIdPrefix;
            return this;
        }

        public Builder<T> atLeastOnce() {
            this.guarantee = Guarantee.AT_LEAST_ONCE;
            return this;
        }

        /**
         * How long the broker keeps a transaction open before aborting it (default 5 min): longer than a
         * checkpoint interval plus the time a crashed job takes to come back, at most the broker's
         * {@code transaction.max.timeout.ms}.
         */
        public Builder<T> transactionTimeout(Duration timeout) {
            this.transactionTimeout = timeout;
            return this;
        }

        /** JSON values keyed by {@code key} (Kafka's partitioner picks the partition from the key). */
        public Builder<T> keyedBy(Function<? super T, String> key) {
            this.serializers = () -> new JsonValues<>(key);
            return this;
        }

        /** Any record layout: value, key and partition; one serializer per subtask. */
        public Builder<T> serializer(Supplier<? extends KafkaRecordSerializer<T>> serializers) {
            this.serializers = serializers;
            return this;
        }

        /** A Kafka producer property (security settings, compression, ...). */
        public Builder<T> property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        public KafkaSink<T> build() {
            return new KafkaSink<>(new KafkaSinkConfig(bootstrapServers, topic, guarantee, transactionalIdPrefix,
                    transactionTimeout, properties), serializers);
        }
    }
}
