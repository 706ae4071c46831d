package io.tidemill.connector.kafka;

import io.tidemill.api.sink.TransactionalSinkWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exactly-once output of one sink subtask through Kafka transactions.
 *
 * <p>Protocol and invariants:
 * <ul>
 *   <li>Records between two barriers go into one transaction. At barrier {@code n} the transaction is
 *       flushed (every record acknowledged by the broker) and becomes pending: its transactional id,
 *       producer id and epoch go into checkpoint {@code n}. The next record starts a new transaction,
 *       with another producer, while {@code n} waits.
 *   <li>When {@code n} completes, every pending transaction up to {@code n} commits; its producer is
 *       reused for a later transaction.
 *   <li>Transactional ids are {@code prefix-subtask-slot}, slot in {@code [0, SLOTS)}: a fixed set per
 *       subtask, the same after every restart, so a restore knows every id a killed run may have left a
 *       transaction open on. A slot is free unless its transaction is open or pending; with all slots
 *       taken (checkpoints not completing) the writer fails rather than reuse a pending id, which would
 *       abort that transaction.
 *   <li>After a restore of checkpoint {@code n} (also on a fresh start, with nothing restored), the
 *       restored pending transactions are committed, from their producer id and epoch
 *       ({@link PendingTransactions}); then every id of the old subtasks this subtask takes over
 *       ({@code old mod parallelism == subtask}) is initialised, which aborts what was left open after
 *       {@code n} and fences the producers of the old run.
 * </ul>
 */
final class TransactionalWriter<T> implements TransactionalSinkWriter<T, KafkaTransaction> {
    /** Transactional ids per subtask: one being written, the rest pending on checkpoints. */
    static final int SLOTS = 4;
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalWriter.class);

    private final String topic;
    private final String prefix;
    private final int subtask;
    private final int parallelism;
    private final KafkaRecordSerializer<T> serializer;
    private final Function<String, Properties> properties;
    /** Initialised producers without a transaction, by transactional id. */
    private final Map<String, KafkaProducer<byte[], byte[]>> idle = new HashMap<>();
    /** Pre-committed transactions waiting for their checkpoint, by transactional id. */
    private final Map<String, KafkaProducer<byte[], byte[]>> pending = new LinkedHashMap<>();
    private String currentId;
    private KafkaProducer<byte[], byte[]> current;
    private SendErrors errors = new SendErrors();
    private boolean recovered;

    TransactionalWriter(String topic, String prefix, int subtask, int parallelism, KafkaRecordSerializer<T> serializer,
                        Function<String, Properties> properties) {
        this.topic = topic;
        this.prefix = prefix;
        this.subtask = subtask;
        this.parallelism = parallelism;
        this.serializer = serializer;
        this.properties = properties;
    }

    static String transactionalId(String prefix, int subtask, int slot) {
        return prefix + "-" + subtask + "-" + slot;
    }

    @Override
    public void write(T value, long timestamp) throws Exception {
        if (current == null) {
            begin();
        }
        errors.check(topic);
        current.send(serializer.serialize(value, timestamp, topic), errors);
    }

    private void begin() throws Exception {
        if (!recovered) {
            recover(0, List.of(), subtask, parallelism);
        }
        for (int slot = 0; slot < SLOTS; slot++) {
            String id = transactionalId(prefix, subtask, slot);
            if (pending.containsKey(id)) {
                continue;
            }
            KafkaProducer<byte[], byte[]> p = idle.remove(id);
            if (p == null) {
                p = initialised(id);
            }
            p.beginTransaction();
            current = p;
            currentId = id;
            errors = new SendErrors();
            return;
        }
        throw new IllegalStateException("Kafka sink of topic " + topic + ", subtask " + subtask + ": all " + SLOTS
                + " transactional ids hold transactions waiting for their checkpoints to complete; checkpoints are "
                + "not completing (see the checkpoint failures)");
    }

    private KafkaProducer<byte[], byte[]> initialised(String id) {
        KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(properties.apply(id));
        try {
            p.initTransactions();
        } catch (RuntimeException e) {
            p.close(Duration.ZERO);
            throw e;
        }
        return p;
    }

    @Override
    public KafkaTransaction preCommit(long checkpointId) throws Exception {
        if (!recovered) {
            recover(0, List.of(), subtask, parallelism);
        }
        if (current == null) {
            return new KafkaTransaction(null, -1, (short) -1, subtask, parallelism);
        }
        current.flush();
        errors.check(topic);
        ProducerIdAndEpoch ide = PendingTransactions.idAndEpoch(current);
        pending.put(currentId, current);
        KafkaTransaction tx = new KafkaTransaction(currentId, ide.producerId, ide.epoch, subtask, parallelism);
        current = null;
        currentId = null;
        return tx;
    }

    @Override
    public void commit(List<KafkaTransaction> transactions) throws Exception {
        for (KafkaTransaction tx : transactions) {
            if (tx == null || tx.isEmpty()) {
                continue;
            }
            KafkaProducer<byte[], byte[]> p = pending.remove(tx.transactionalId());
            if (p != null) {
                p.commitTransaction();
                idle.put(tx.transactionalId(), p);
            } else {
                commitLeftOpen(tx);
            }
        }
    }

    /** Commits a transaction of a previous run (idempotent: one that was already committed is skipped). */
    private void commitLeftOpen(KafkaTransaction tx) {
        try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(properties.apply(tx.transactionalId()))) {
            PendingTransactions.commit(p, tx.producerId(), tx.epoch(), topic);
            LOG.info("committed transaction {} (producer id {}, epoch {}) left open by a previous run",
                    tx.transactionalId(), tx.producerId(), tx.epoch());
        } catch (ProducerFencedException | InvalidProducerEpochException | InvalidTxnStateException e) {
            // Its epoch is gone: the transaction was completed already (committed before the crash).
            LOG.info("transaction {} of a previous run was already completed ({})", tx.transactionalId(), e.toString());
        } catch (KafkaException e) {
            if (e.getCause() instanceof ProducerFencedException || e.getCause() instanceof InvalidTxnStateException) {
                LOG.info("transaction {} of a previous run was already completed ({})", tx.transactionalId(),
                        e.toString());
                return;
            }
            throw e;
        }
    }

    @Override
    public void recover(long restoredCheckpointId, List<KafkaTransaction> transactions, int subtask,
                        int parallelism) throws Exception {
        int oldParallelism = parallelism;
        for (KafkaTransaction tx : transactions) {
            oldParallelism = Math.max(oldParallelism, tx.parallelism());
            if (!tx.isEmpty()) {
                commitLeftOpen(tx);
            }
        }
        for (int old = subtask; old < oldParallelism; old += parallelism) {
            for (int slot = 0; slot < SLOTS; slot++) {
                String id = transactionalId(prefix, old, slot);
                KafkaProducer<byte[], byte[]> p = initialised(id); // aborts what the id left open
                if (old == subtask) {
                    idle.put(id, p);
                } else {
                    p.close(Duration.ofSeconds(5));
                }
            }
        }
        recovered = true;
    }

    /** End of input: what was written since the last barrier is committed now. */
    @Override
    public void finish() throws Exception {
        if (current != null) {
            current.flush();
            errors.check(topic);
            current.commitTransaction();
            idle.put(currentId, current);
            current = null;
            currentId = null;
        }
    }

    /**
     * Closes the producers without ending their transactions: pending ones belong to checkpoints a
     * restore may still commit; the open one is aborted by the restore (or by the broker's timeout).
     */
    @Override
    public void close() {
        if (current != null) {
            current.close(Duration.ZERO);
        }
        pending.values().forEach(p -> p.close(Duration.ZERO));
        idle.values().forEach(p -> p.close(Duration.ofSeconds(5)));
        pending.clear();
        idle.clear();
        current = null;
    }
}
