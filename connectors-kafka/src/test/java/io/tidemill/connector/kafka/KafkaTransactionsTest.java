package io.tidemill.connector.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A transaction left open by a producer that is gone is committed by another producer on a real broker. */
@Timeout(120)
class KafkaTransactionsTest extends WithKafkaBroker {

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

    @Test
    void givenAWriterKilledAfterItsPreCommit_whenTheRestoreRecovers_thenThePendingTransactionCommitsAndTheOpenOneAborts()
            throws Exception {
        broker.createTopic("recovered", 1);
        KafkaSink<String> sink = KafkaSink.<String>builder(broker.bootstrap(), "recovered").exactlyOnce("recovered")
                .build();
        TransactionalWriter<String> killed = (TransactionalWriter<String>) sink.createWriter(0, 2);
        killed.recover(0, List.of(), 0, 2);
        killed.write("in checkpoint 1", 0);
        KafkaTransaction pending = killed.preCommit(1);
        killed.write("after checkpoint 1", 0);
        killed.preCommit(2); // a checkpoint that never completes
        killed.write("after checkpoint 2", 0);
        // the process dies here: nothing is committed, closed or aborted

        // the restart at parallelism 1 takes over both old subtasks' ids
        TransactionalWriter<String> restored = (TransactionalWriter<String>) sink.createWriter(0, 1);
        restored.recover(1, List.of(pending, new KafkaTransaction(null, -1, (short) -1, 1, 2)), 0, 1);
        restored.write("after the restore", 0);
        restored.finish();
        restored.close();

        // read_committed is not held up by what the killed writer left open: it was aborted
        assertEquals(List.of("\"in checkpoint 1\"", "\"after the restore\""), broker.readCommitted("recovered"));
        killed.close();
    }

    @Test
    void givenACommitThatHappenedBeforeTheCrash_whenTheRestoreCommitsAgain_thenNothingChanges() throws Exception {
        broker.createTopic("committed-twice", 1);
        KafkaSink<String> sink = KafkaSink.<String>builder(broker.bootstrap(), "committed-twice")
                .exactlyOnce("committed-twice").build();
        TransactionalWriter<String> first = (TransactionalWriter<String>) sink.createWriter(0, 1);
        first.recover(0, List.of(), 0, 1);
        first.write("once", 0);
        KafkaTransaction tx = first.preCommit(1);
        first.commit(List.of(tx));
        first.write("open when killed", 0);

        TransactionalWriter<String> restored = (TransactionalWriter<String>) sink.createWriter(0, 1);
        restored.recover(1, List.of(tx), 0, 1);
        restored.close();

        assertEquals(List.of("\"once\""), broker.readCommitted("committed-twice"));
        first.close();
    }
}
