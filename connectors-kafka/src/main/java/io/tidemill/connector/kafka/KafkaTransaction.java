package io.tidemill.connector.kafka;

/**
 * A Kafka transaction a sink subtask pre-committed at a checkpoint barrier, as the checkpoint keeps it:
 * enough to commit it from another process after a crash.
 *
 * @param transactionalId null if the subtask wrote nothing since the previous barrier (then nothing to
 *                        commit; the record still tells a restore the subtask and parallelism it came from)
 */
public record KafkaTransaction(String transactionalId, long producerId, short epoch, int subtask, int parallelism) {
    boolean isEmpty() {
        return transactionalId == null;
    }
}
