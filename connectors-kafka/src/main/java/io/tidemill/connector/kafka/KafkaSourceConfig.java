package io.tidemill.connector.kafka;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * The settings of a {@link KafkaSource}, validated here.
 *
 * @param groupId    consumer group that completed checkpoints commit offsets to, or null
 * @param properties extra Kafka client properties (they may not replace the deserializers)
 */
public record KafkaSourceConfig(String bootstrapServers, String topic, StartOffsets startFrom, String groupId,
                                boolean bounded, Duration discoveryInterval, Map<String, String> properties) {
    public KafkaSourceConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(startFrom, "startFrom");
        if (discoveryInterval.isNegative()) {
            throw new IllegalArgumentException("discoveryInterval must not be negative: " + discoveryInterval);
        }
        if (startFrom.kind() == StartOffsets.Kind.COMMITTED && groupId == null) {
            throw new IllegalArgumentException("starting from committed offsets needs a groupId");
        }
        properties = Map.copyOf(properties);
    }
}
