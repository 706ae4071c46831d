package io.tidemill.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Pipeline;
import io.tidemill.local.LocalCluster;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Kafka sink's records: JSON values, and keys (hence partitions) chosen by a user function. */
@Timeout(60)
class KafkaSinkTest extends WithKafkaBroker {

    /** A row as a job would write it. */
    public record Sale(String shop, long amount) {}

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
        for (ConsumerRecord<byte[], byte[]> r : broker.readRecords("sales")) {
            String key = new String(r.key(), StandardCharsets.UTF_8);
            String value = new String(r.value(), StandardCharsets.UTF_8);
            Integer before = partitionOfKey.putIfAbsent(key, r.partition());
            assertEquals(before == null ? r.partition() : before, r.partition(), "key " + key);
            values.add(value);
            assertEquals("\"" + key + "\"", value.substring(value.indexOf(':') + 1, value.indexOf(',')));
        }
        assertEquals(7, partitionOfKey.size());
        List<String> expected = new ArrayList<>();
        sales.forEach(s -> expected.add("{\"shop\":\"" + s.shop() + "\",\"amount\":" + s.amount() + "}"));
        expected.sort(null);
        values.sort(null);
        assertEquals(expected, values);
    }
}
