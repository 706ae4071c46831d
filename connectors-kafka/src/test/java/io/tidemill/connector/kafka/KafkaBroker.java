package io.tidemill.connector.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real KRaft Kafka broker (one combined controller and broker) in the test JVM, with what the
 * tests need around it: topics, plain writes, and a {@code read_committed} read of a whole topic.
 */
public final class KafkaBroker implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final Admin admin;

    private KafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()));
    }

    public static KafkaBroker start() throws Exception {
        return start(Map.of());
    }

    /** Starts a broker listening on the given extra broker properties (for example a fixed port). */
    public static KafkaBroker start(Map<String, String> brokerProperties) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setPerServerProperties(brokerProperties.isEmpty() ? Map.of()
                        : Map.of(0, brokerProperties)).build();
        KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("offsets.topic.num.partitions", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("transaction.state.log.num.partitions", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        return new KafkaBroker(cluster);
    }

    public String bootstrap() {
        return cluster.bootstrapServers();
    }

    public KafkaClusterTestKit cluster() {
        return cluster;
    }

    public Admin admin() {
        return admin;
    }

    public void createTopic(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    /** Writes {@code values} to one partition with the given timestamps (plain, not transactional). */
    public void write(String topic, int partition, List<String> values, List<Long> timestamps) {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(producerConfig())) {
            for (int i = 0; i < values.size(); i++) {
                p.send(new ProducerRecord<>(topic, partition, timestamps.get(i), null,
                        values.get(i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            p.flush();
        }
    }

    public Properties producerConfig() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return p;
    }

    /** Every committed value of a topic, read with {@code read_committed} up to the current end. */
    public List<String> readCommitted(String topic) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : readRecords(topic)) {
            out.add(new String(r.value(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Every committed record of a topic (key, value, partition), read up to the current end. */
    public List<ConsumerRecord<byte[], byte[]>> readRecords(String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(java.time.Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }

    /**
     * Stops the broker (the controller keeps running) and starts it again on the same port, as a
     * broker restarted by its operator: clients lose their connections and reconnect.
     */
    public void restart() {
        stopBroker();
        startBroker();
    }

    /** Stops the broker (the controller keeps running): clients cannot connect until {@link #startBroker}. */
    public void stopBroker() {
        kafka.server.BrokerServer b = cluster.brokers().values().iterator().next();
        b.shutdown();
        b.awaitShutdown();
    }

    /** Starts the broker stopped by {@link #stopBroker} again, on the same port. */
    public void startBroker() {
        cluster.brokers().values().iterator().next().startup();
    }

    @Override
    public void close() throws Exception {
        admin.close();
        cluster.close();
    }
}
