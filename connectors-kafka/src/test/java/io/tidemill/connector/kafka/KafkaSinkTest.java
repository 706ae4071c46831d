package io.tidemill.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Pipeline;
import io.tidemill.local.LocalCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Kafka sink's records: JSON values, and keys (hence partitions) chosen by a user function. */
@Timeout(60)
class KafkaSinkTest {
    private static KafkaBroker broker;

    /** A row as a job would write it. */
    public record Sale(String shop, long amount) {}

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void givenAKeyFunction_thenEachRecordIsAJsonValueUnderItsKeyAndOneKeyStaysInOnePartition() throws Exception {
        broker.createTopic("sales", 3);
        List<Sale> sales = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            sales.add(new Sale("shop-" + (i % 7), i));
        }
        Pipeline p = Pipeline.create().setName("sales").setParallelism(2);
        p.fromCollection(sales).sinkTo(KafkaSink.<Sale>builder(broker.bootstrap(), "sales")
                .keyedBy(Sale::shop).build(), "out");
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(p);
        }

        Map<String, Integer> partitionOfKey = new HashMap<>();
        List<String> values = new ArrayList<>();
        for (ConsumerRecord<String, String> r : readAll("sales")) {
            Integer before = partitionOfKey.putIfAbsent(r.key(), r.partition());
            assertEquals(before == null ? r.partition() : before, r.partition(), "key " + r.key());
            values.add(r.value());
            assertEquals("\"" + r.key() + "\"", r.value().substring(r.value().indexOf(':') + 1,
                    r.value().indexOf(',')));
        }
        assertEquals(7, partitionOfKey.size());
        List<String> expected = new ArrayList<>();
        sales.forEach(s -> expected.add("{\"shop\":\"" + s.shop() + "\",\"amount\":" + s.amount() + "}"));
        expected.sort(null);
        values.sort(null);
        assertEquals(expected, values);
    }

    private static List<ConsumerRecord<String, String>> readAll(String topic) {
        Properties c = new Properties();
        c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        c.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        c.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(c)) {
            List<TopicPartition> parts = new ArrayList<>();
            consumer.partitionsFor(topic).forEach(pi -> parts.add(new TopicPartition(topic, pi.partition())));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (parts.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        return out;
    }
}
