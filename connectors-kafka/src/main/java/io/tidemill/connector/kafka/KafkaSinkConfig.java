package io.tidemill.connector.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a {@link KafkaSink}, validated here.
 *
 * @param transactionalIdPrefix for {@link KafkaSink.Guarantee#EXACTLY_ONCE}: unique to the job, the same
 *                              on every run of it; null otherwise
 * @param transactionTimeout    how long the broker keeps a transaction open before aborting it
 * @param properties            extra Kafka producer properties (they may not replace the serializers)
 */
public record KafkaSinkConfig(String bootstrapServers, String topic, KafkaSink.Guarantee guarantee,
                              String transactionalIdPrefix, Duration transactionTimeout,
                              Map<String, String> properties) {
    public KafkaSinkConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(guarantee, "guarantee");
        if (guarantee == KafkaSink.Guarantee.EXACTLY_ONCE
                && (transactionalIdPrefix == null || transactionalIdPrefix.isBlank())) {
            throw new IllegalArgumentException("an exactly-once Kafka sink of " + topic
                    + " needs a transactional id prefix unique to the job");
        }
        if (transactionTimeout.isNegative() || transactionTimeout.isZero()) {
            throw new IllegalArgumentException("transactionTimeout must be positive: " + transactionTimeout);
        }
        properties = Map.copyOf(properties);
    }
}
