package io.tidemill.connector.kafka;

import io.tidemill.api.source.SourceSplit;
import io.tidemill.api.source.SplitDiscovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks up a topic's partitions every interval on a thread of its own and hands each new one over as
 * a split read from the beginning. A failed lookup (broker away) is logged and tried again.
 */
final class PartitionDiscovery implements SplitDiscovery {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionDiscovery.class);

    private final String topic;
    private final Duration interval;
    /** Touched by the lookup thread only. */
    private final Set<String> known;
    private final ConcurrentLinkedQueue<SourceSplit> found = new ConcurrentLinkedQueue<>();
    private final ScheduledExecutorService lookups;
    private final Admin admin;

    PartitionDiscovery(String topic, Duration interval, List<String> knownSplitIds, Supplier<Admin> admins) {
        this.topic = topic;
        this.interval = interval;
        this.known = new HashSet<>(knownSplitIds);
        this.admin = admins.get();
        this.lookups = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tidemill-kafka-discovery-" + topic);
            t.setDaemon(true);
            return t;
        });
        lookups.scheduleWithFixedDelay(this::lookUp, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void lookUp() {
        try {
            TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            List<Integer> partitions = new ArrayList<>();
            d.partitions().forEach(p -> partitions.add(p.partition()));
            partitions.sort(null);
            for (int p : partitions) {
                KafkaPartitionSplit s = new KafkaPartitionSplit(topic, p, KafkaPartitionSplit.EARLIEST,
                        KafkaPartitionSplit.UNBOUNDED);
                if (known.add(s.splitId())) {
                    LOG.info("new partition {} of topic {}", p, topic);
                    found.add(s);
                }
            }
        } catch (ExecutionException | RuntimeException e) {
            LOG.warn("looking up the partitions of {} failed, trying again in {}: {}", topic, interval,
                    e instanceof ExecutionException ? e.getCause().toString() : e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public List<SourceSplit> poll() {
        if (found.isEmpty()) {
            return List.of();
        }
        List<SourceSplit> splits = new ArrayList<>();
        for (SourceSplit s; (s = found.poll()) != null; ) {
            splits.add(s);
        }
        return splits;
    }

    /** Stops the lookups; the admin client is closed on the lookup thread, which may block. */
    @Override
    public synchronized void close() {
        if (!lookups.isShutdown()) {
            lookups.execute(() -> admin.close(Duration.ofSeconds(5)));
            lookups.shutdown();
        }
    }
}
