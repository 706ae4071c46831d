package io.tidemill.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A transaction left open by a producer that is gone is committed by another producer on a real broker. */
@Timeout(120)
class KafkaTransactionsTest {
    private static KafkaBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBroker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    @Test
    void givenATransactionLeftOpen_whenAnotherProducerCommitsIt_thenReadCommittedSeesItsRecords() throws Exception {
        broker.createTopic("left-open", 2);
        Properties p = broker.producerConfig();
        p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "left-open-0");
        KafkaProducer<byte[], byte[]> gone = new KafkaProducer<>(p);
        gone.initTransactions();
        // a first transaction, committed, so that the epoch has moved (transaction version 2 bumps it)
        gone.beginTransaction();
        gone.send(new ProducerRecord<>("left-open", 0, null, "a".getBytes()));
        gone.commitTransaction();
        gone.beginTransaction();
        gone.send(new ProducerRecord<>("left-open", 0, null, "b".getBytes()));
        gone.send(new ProducerRecord<>("left-open", 1, null, "c".getBytes()));
        gone.flush();
        ProducerIdAndEpoch open = PendingTransactions.idAndEpoch(gone);

        try (KafkaProducer<byte[], byte[]> taker = new KafkaProducer<>(p)) {
            PendingTransactions.commit(taker, open.producerId, open.epoch, "left-open");
        }

        List<String> values = broker.readCommitted("left-open");
        values.sort(null);
        assertEquals(List.of("a", "b", "c"), values);
        gone.close(java.time.Duration.ZERO);
    }
}
