package io.tidemill.connector.kafka;

import java.lang.reflect.Field;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.internals.TransactionManager;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;

/**
 * Commits a Kafka transaction that another producer (one of a killed process) pre-committed, by
 * taking over its producer id and epoch.
 *
 * <p>Kafka's public producer API cannot do this: a new producer's {@code initTransactions()} aborts
 * whatever its transactional id left open, and Kafka 4.3's client does not expose the two-phase
 * commit of KIP-939. But a transaction whose checkpoint completed must be committed after a crash,
 * or its records are lost (the source offsets of that checkpoint are already past them). So, as
 * Flink's and Hazelcast Jet's Kafka sinks do, the producer's transaction manager is set by reflection
 * to the state it would have had with the old producer (that producer id and epoch, a transaction in
 * progress) and then commits through the public {@code commitTransaction()}: the broker's
 * coordinator accepts the end of the transaction because id and epoch match the open one.
 *
 * <p>This depends on the client's internals ({@code KafkaProducer.transactionManager} and the
 * manager's {@code producerIdAndEpoch}, {@code currentState}, {@code transactionStarted}), checked
 * against kafka-clients 4.3.1; {@code KafkaTransactionsTest} pins it down on a real broker.
 */
final class PendingTransactions {
    private static final Field MANAGER = field(KafkaProducer.class, "transactionManager");
    private static final Field ID_AND_EPOCH = field(TransactionManager.class, "producerIdAndEpoch");
    private static final Field STATE = field(TransactionManager.class, "currentState");
    private static final Field STARTED = field(TransactionManager.class, "transactionStarted");

    private PendingTransactions() {}

    /** The producer id and epoch of {@code producer}'s transaction in progress. */
    static ProducerIdAndEpoch idAndEpoch(KafkaProducer<?, ?> producer) {
        try {
            return (ProducerIdAndEpoch) ID_AND_EPOCH.get(MANAGER.get(producer));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("kafka-clients internals changed: " + e.getMessage(), e);
        }
    }

    /**
     * Commits the transaction {@code producerId}/{@code epoch} of this producer's transactional id,
     * left open by another producer. {@code producer} must be new (no {@code initTransactions()}) and is
     * spent afterwards: close it. {@code topic} is any topic, used to connect before the commit.
     */
    static void commit(KafkaProducer<?, ?> producer, long producerId, short epoch, String topic) {
        // Connecting first gives the client the broker's features (transaction version 2 or not), so
        // that it ends the transaction with the protocol the transaction was started with.
        List<?> ignored = producer.partitionsFor(topic);
        try {
            TransactionManager manager = (TransactionManager) MANAGER.get(producer);
            synchronized (manager) {
                manager.maybeUpdateTransactionV2Enabled(true);
                ID_AND_EPOCH.set(manager, new ProducerIdAndEpoch(producerId, epoch));
                STATE.set(manager, inTransaction());
                STARTED.set(manager, true);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("kafka-clients internals changed: " + e.getMessage(), e);
        }
        producer.commitTransaction();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object inTransaction() {
        return Enum.valueOf((Class<Enum>) STATE.getType(), "IN_TRANSACTION");
    }

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new ExceptionInInitializerError("kafka-clients " + type.getName() + " has no field " + name
                    + ": this version of the client is not supported for exactly-once (tested with 4.3.1)");
        }
    }
}
