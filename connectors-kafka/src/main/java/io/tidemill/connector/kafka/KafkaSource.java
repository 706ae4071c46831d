package io.tidemill.connector.kafka;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.api.sink.Sink;
import io.tidemill.api.source.DeadLetter;
import io.tidemill.api.source.Source;
import io.tidemill.api.source.SourceSplit;
import io.tidemill.api.source.SplitDiscovery;
import io.tidemill.api.source.SplitReader;
import io.tidemill.connector.file.LineDecoder;
import io.tidemill.connector.file.MalformedLineException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a Kafka topic: each partition is a {@link KafkaPartitionSplit}, spread over the source's
 * subtasks, with its own offset in the checkpoint and its own watermark (a slow partition holds the
 * watermark back; one without records for the watermark strategy's idleness timeout does not).
 *
 * <ul>
 *   <li>Offsets: a checkpoint records each partition's next offset and a restore, at any parallelism,
 *       resumes there. When a checkpoint completes, its offsets are committed to the consumer group
 *       (if one is set), for monitoring lag; they are never read back for recovery.
 *   <li>Start (without a checkpoint): {@link StartOffsets earliest, latest, a timestamp or the group's
 *       committed offsets}, resolved once when the job starts.
 *   <li>Partitions added while the job runs are found every {@code discoveryInterval} and read from
 *       their beginning by one subtask. A {@link Builder#bounded() bounded} source instead stops at the
 *       end offsets the topic had when the job first started (the same end after every restart).
 *   <li>Values are decoded by a user function, one per partition reader (JSON lines by default:
 *       {@link #json}); a value that does not decode goes to the dead letters with its partition,
 *       offset and reason. Only committed records are read ({@code read_committed}).
 *   <li>Threads: each partition's consumer polls on a thread of its own and hands batches over a
 *       small bounded queue; the cooperative worker only takes them, so no Kafka call ever blocks it,
 *       and a full queue (a slow job) pauses the polling.
 * </ul>
 *
 * <pre>{@code
 * KafkaSource<Event> source = KafkaSource.builder("localhost:9092", "events", KafkaSource.json(Event.class))
 *         .startFrom(StartOffsets.earliest()).groupId("my-job").deadLetters(DeadLetters.toFile(dlq)).build();
 * pipeline.fromSource(source, WatermarkStrategy.forBoundedOutOfOrderness(...).withIdleness(...), "events");
 * }</pre>
 */
public final class KafkaSource<T> implements Source<T> {
    private final KafkaSourceConfig config;
    private final Supplier<? extends LineDecoder<T>> decoders;
    private final Sink<DeadLetter> deadLetters;

    private KafkaSource(KafkaSourceConfig config, Supplier<? extends LineDecoder<T>> decoders,
                        Sink<DeadLetter> deadLetters) {
        this.config = config;
        this.decoders = decoders;
        this.deadLetters = deadLetters;
    }

    /**
     * A source of {@code topic}; {@code decoders} makes one value decoder per partition reader (a
     * decoder throws, for example {@link MalformedLineException}, on a value it cannot read).
     */
    public static <T> Builder<T> builder(String bootstrapServers, String topic,
                                         Supplier<? extends LineDecoder<T>> decoders) {
        return new Builder<>(bootstrapServers, topic, decoders);
    }

    /** The default decoding: each value is one JSON document, read into {@code type} by Jackson. */
    public static <T> Supplier<LineDecoder<T>> json(Class<T> type) {
        ObjectMapper mapper = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        return () -> (buf, off, len) -> {
            try {
                return mapper.readValue(buf, off, len, type);
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                throw new MalformedLineException(m.lines().findFirst().orElse(m));
            }
        };
    }

    public KafkaSourceConfig config() {
        return config;
    }

    @Override
    public boolean isBounded() {
        return config.bounded();
    }

    @Override
    public Sink<DeadLetter> deadLetterSink() {
        return deadLetters;
    }

    @Override
    public List<KafkaPartitionSplit> createSplits(int parallelism) throws Exception {
        try (Admin admin = admin()) {
            List<TopicPartition> partitions = partitions(admin);
            Map<TopicPartition, Long> start = startOffsets(admin, partitions);
            Map<TopicPartition, Long> stop = config.bounded()
                    ? offsets(admin, partitions, OffsetSpec.latest()) : Map.of();
            List<KafkaPartitionSplit> splits = new ArrayList<>();
            for (TopicPartition tp : partitions) {
                splits.add(new KafkaPartitionSplit(config.topic(), tp.partition(), start.get(tp),
                        config.bounded() ? stop.get(tp) : KafkaPartitionSplit.UNBOUNDED));
            }
            return splits;
        }
    }

    @Override
    public SplitReader<T> createReader(SourceSplit split, long offset) {
        KafkaPartitionSplit s = (KafkaPartitionSplit) split;
        return new PartitionReader<>(s, offset > 0 ? offset : s.startOffset(), decoders.get(), consumerProperties(s),
                config.groupId() != null);
    }

    @Override
    public void verifyRestored(SourceSplit split) {
        if (!(split instanceof KafkaPartitionSplit s) || !s.topic().equals(config.topic())) {
            throw new IllegalStateException("the checkpoint reads " + split.splitId() + ", which is not a partition "
                    + "of this source's topic " + config.topic() + "; restore it with the topic it read, or start "
                    + "over without the checkpoint");
        }
    }

    @Override
    public SplitDiscovery discoverSplits(List<? extends SourceSplit> known) {
        if (config.bounded() || config.discoveryInterval().isZero()) {
            return null;
        }
        List<String> ids = new ArrayList<>();
        known.forEach(s -> ids.add(s.splitId()));
        return new PartitionDiscovery(config.topic(), config.discoveryInterval(), ids, this::admin);
    }

    Admin admin() {
        Map<String, Object> props = new HashMap<>(config.properties());
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        return Admin.create(props);
    }

    private List<TopicPartition> partitions(Admin admin) throws Exception {
        TopicDescription d;
        try {
            d = admin.describeTopics(List.of(config.topic())).allTopicNames().get().get(config.topic());
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                throw new IllegalStateException("Kafka topic " + config.topic() + " does not exist at "
                        + config.bootstrapServers(), e.getCause());
            }
            throw e;
        }
        List<TopicPartition> partitions = new ArrayList<>();
        d.partitions().forEach(p -> partitions.add(new TopicPartition(config.topic(), p.partition())));
        return partitions;
    }

    private Map<TopicPartition, Long> startOffsets(Admin admin, List<TopicPartition> partitions) throws Exception {
        StartOffsets from = config.startFrom();
        return switch (from.kind()) {
            case EARLIEST -> offsets(admin, partitions, OffsetSpec.earliest());
            case LATEST -> offsets(admin, partitions, OffsetSpec.latest());
            case TIMESTAMP -> {
                Map<TopicPartition, Long> at = offsets(admin, partitions, OffsetSpec.forTimestamp(from.timestamp()));
                Map<TopicPartition, Long> end = offsets(admin, partitions, OffsetSpec.latest());
                Map<TopicPartition, Long> result = new HashMap<>();
                // No record at or after the timestamp: start at the end.
                partitions.forEach(tp -> result.put(tp, at.get(tp) >= 0 ? at.get(tp) : end.get(tp)));
                yield result;
            }
            case COMMITTED -> {
                if (config.groupId() == null) {
                    throw new IllegalStateException("starting from committed offsets needs a consumer group (groupId)");
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(config.groupId())
                        .partitionsToOffsetAndMetadata().get();
                Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
                Map<TopicPartition, Long> result = new HashMap<>();
                partitions.forEach(tp -> {
                    OffsetAndMetadata o = committed.get(tp);
                    result.put(tp, o != null ? o.offset() : earliest.get(tp));
                });
                yield result;
            }
        };
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
            throws Exception {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, ListOffsetsResultInfo> info = admin.listOffsets(request,
                new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().get();
        Map<TopicPartition, Long> result = new HashMap<>();
        info.forEach((tp, i) -> result.put(tp, i.offset()));
        return result;
    }

    private Properties consumerProperties(KafkaPartitionSplit split) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "2000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tidemill-" + split.splitId());
        if (config.groupId() != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        }
        p.putAll(config.properties());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return p;
    }

    /** Builds a {@link KafkaSource}; everything but the topic and the decoder has a default. */
    public static final class Builder<T> {
        private final String bootstrapServers;
        private final String topic;
        private final Supplier<? extends LineDecoder<T>> decoders;
        private StartOffsets startFrom = StartOffsets.earliest();
        private String groupId;
        private boolean bounded;
        private Duration discoveryInterval = Duration.ofSeconds(5);
        private final Map<String, String> properties = new HashMap<>();
        private Sink<DeadLetter> deadLetters;

        private Builder(String bootstrapServers, String topic, Supplier<? extends LineDecoder<T>> decoders) {
            this.bootstrapServers = bootstrapServers;
            this.topic = topic;
            this.decoders = decoders;
        }

        /** Where to start without a checkpoint (default: earliest). */
        public Builder<T> startFrom(StartOffsets startFrom) {
            this.startFrom = startFrom;
            return this;
        }

        /** The consumer group that completed checkpoints commit offsets to (default: none). */
        public Builder<T> groupId(String groupId) {
            this.groupId = groupId;
            return this;
        }

        /** Read up to the end the topic has when the job first starts, then end. */
        public Builder<T> bounded() {
            this.bounded = true;
            return this;
        }

        /** How often to look for new partitions (default 5 s; zero: never). */
        public Builder<T> discoveryInterval(Duration interval) {
            this.discoveryInterval = interval;
            return this;
        }

        /** A Kafka client property for the consumers and the admin client (security settings, say). */
        public Builder<T> property(String key, String value) {
            properties.put(key, value);
            return this;
        }

        /** Where records that cannot be decoded go (without: such a record fails the job). */
        public Builder<T> deadLetters(Sink<DeadLetter> deadLetters) {
            this.deadLetters = deadLetters;
            return this;
        }

        public KafkaSource<T> build() {
            return new KafkaSource<>(new KafkaSourceConfig(bootstrapServers, topic, startFrom, groupId, bounded,
                    discoveryInterval, properties), decoders, deadLetters);
        }
    }
}
