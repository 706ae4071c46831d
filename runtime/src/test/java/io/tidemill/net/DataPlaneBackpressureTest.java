package io.tidemill.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.exchange.Channel;
import io.tidemill.net.DataPlane.ChannelKey;
import io.tidemill.net.DataPlane.ChannelStats;
import io.tidemill.net.Nodes.CheckingConsumer;
import io.tidemill.net.Nodes.Node;
import io.tidemill.net.Nodes.Runner;
import io.tidemill.net.Nodes.ScriptedProducer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A consumer that reads slowly, or not at all, holds its remote producer back through credits: the
 * producer's channel blocks, the consumer's queue never holds more than its capacity, no more credits
 * are outstanding than it has room for, and everything arrives once the consumer reads again.
 */
class DataPlaneBackpressureTest {
    private static final int CAPACITY = 8;
    private static final int BATCH = 10;
    private static final long RECORDS = 100_000;
    private static final ChannelKey KEY = new ChannelKey(5, 0, 0, 0);

    @Test
    @Timeout(60)
    void aStoppedConsumerBlocksTheProducerWithinItsCapacityAndGetsEverythingWhenItReadsAgain() throws Exception {
        try (Node a = new Node(); Node b = new Node()) {
            // given a channel from a to b whose consumer does not read yet
            Channel[] channel = Nodes.connect(KEY, a, b, CAPACITY, BATCH);
            Channel out = channel[0];
            Channel in = channel[1];
            CheckingConsumer consumer = new CheckingConsumer(in, BATCH, 1);
            consumer.paused = true;
            Limits limits = new Limits(a, b);
            Runner producing = new Runner(new ScriptedProducer(out, RECORDS, BATCH), limits);
            Runner consuming = new Runner(consumer);

            // when the producer has filled everything it may
            await().atMost(Duration.ofSeconds(10)).until(() -> out.isBlocked() && in.queued() == in.capacity());

            // then it stays blocked, with the consumer's queue full and no credit outstanding
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> {
                ChannelStats inbound = b.plane.stats().channel(KEY, true);
                ChannelStats outbound = a.plane.stats().channel(KEY, false);
                return out.isBlocked() && inbound.queued() == CAPACITY && inbound.credits() == 0
                        && outbound.credits() == 0 && consumer.records == 0;
            });

            // when the consumer reads again, slowly (one batch per step)
            consumer.paused = false;
            await().atMost(Duration.ofSeconds(40)).until(() -> consuming.finished() && producing.finished());

            // then everything arrived, and the limits held all along
            assertEquals(RECORDS, consumer.records);
            assertTrue(limits.samples > 100, "samples taken: " + limits.samples);
            assertTrue(limits.maxQueued <= CAPACITY, "inbound queue held " + limits.maxQueued);
            assertTrue(limits.maxInboundCredits <= CAPACITY, "credits outstanding " + limits.maxInboundCredits);
            assertTrue(limits.maxOutboundCredits <= CAPACITY, "credits at the sender " + limits.maxOutboundCredits);
        }
    }

    /** Samples the channel's accounting on both nodes until the channel is gone from the consumer. */
    private static final class Limits implements Nodes.Stepper {
        private final Node producer;
        private final Node consumer;
        volatile long samples;
        volatile long maxQueued;
        volatile long maxInboundCredits;
        volatile long maxOutboundCredits;
        private boolean seen;

        Limits(Node producer, Node consumer) {
            this.producer = producer;
            this.consumer = consumer;
        }

        @Override
        public boolean step() {
            ChannelStats inbound = consumer.plane.stats().channel(KEY, true);
            ChannelStats outbound = producer.plane.stats().channel(KEY, false);
            if (inbound == null || outbound == null) {
                return seen;
            }
            seen = true;
            samples++;
            maxQueued = Math.max(maxQueued, inbound.queued());
            maxInboundCredits = Math.max(maxInboundCredits, inbound.credits());
            maxOutboundCredits = Math.max(maxOutboundCredits, outbound.credits());
            return inbound.items() == outbound.items() && outbound.items() > RECORDS / BATCH;
        }
    }
}
