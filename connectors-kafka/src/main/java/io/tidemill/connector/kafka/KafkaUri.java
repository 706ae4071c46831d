package io.tidemill.connector.kafka;

/**
 * A topic on a Kafka cluster written as {@code kafka://host:port[,host:port...]/topic}, as the CLI
 * takes it for {@code --input} and {@code --output}.
 */
public record KafkaUri(String bootstrapServers, String topic) {
    private static final String SCHEME = "kafka://";

    /** True if {@code s} is a Kafka address rather than a path. */
    public static boolean isKafka(String s) {
        return s != null && s.startsWith(SCHEME);
    }

    /** @throws IllegalArgumentException naming what is missing */
    public static KafkaUri parse(String s) {
        if (!isKafka(s)) {
            throw new IllegalArgumentException("not a Kafka address (kafka://host:port/topic): " + s);
        }
        String rest = s.substring(SCHEME.length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException("a Kafka address is kafka://host:port/topic, got " + s);
        }
        return new KafkaUri(rest.substring(0, slash), rest.substring(slash + 1));
    }

    @Override
    public String toString() {
        return SCHEME + bootstrapServers + "/" + topic;
    }
}
