package io.tidemill.connector.kafka;

import io.tidemill.api.source.SourceSplit;
import io.tidemill.api.source.SplitDiscovery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    private final Set<String> known;
    private final Supplier<Admin> admins;
    private final ConcurrentLinkedQueue<SourceSplit> found = new ConcurrentLinkedQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    PartitionDiscovery(String topic, Duration interval, List<String> knownSplitIds, Supplier<Admin> admins) {
        this.topic = topic;
        this.interval = interval;
        this.known = new HashSet<>(knownSplitIds);
        this.admins = admins;
        this.thread = new Thread(this::run, "tidemill-kafka-discovery-" + topic);
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        try (Admin admin = admins.get()) {
            while (!closed) {
                Thread.sleep(interval.toMillis()); // a periodic lookup on our own thread, not a wait for work
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
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.warn("looking up the partitions of {} failed, trying again in {}: {}", topic, interval,
                            e.getCause().toString());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("partition discovery of {} stopped: {}", topic, e.toString());
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

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
    }
}
