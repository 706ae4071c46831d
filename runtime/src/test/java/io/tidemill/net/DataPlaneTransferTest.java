package io.tidemill.net;

import static io.tidemill.net.Nodes.ScriptedProducer.BARRIER_AT;
import static io.tidemill.net.Nodes.ScriptedProducer.IDLE_AT;
import static io.tidemill.net.Nodes.ScriptedProducer.PRIORITY_AT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.exchange.Barrier;
import io.tidemill.exchange.Batch;
import io.tidemill.exchange.Channel;
import io.tidemill.exchange.Control;
import io.tidemill.net.DataPlane.ChannelKey;
import io.tidemill.net.Nodes.CheckingConsumer;
import io.tidemill.net.Nodes.Node;
import io.tidemill.net.Nodes.Runner;
import io.tidemill.net.Nodes.ScriptedProducer;
import io.tidemill.watermark.Watermark;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Channels carried between two nodes arrive item for item: the same records in the same batches, the
 * control items after the same records, and a priority barrier whose sequence counts the producer's
 * items, with several channels of two executions in both directions over the one connection.
 */
class DataPlaneTransferTest {
    private static final int BATCH = 100;

    @Test
    @Timeout(150)
    void everyItemOfSeveralMultiplexedChannelsArrivesInOrderWithThePriorityBarrierSequence() throws Exception {
        try (Node a = new Node(); Node b = new Node()) {
            // given four channels of two executions, one from b to a, over the one connection a-b
            ChannelKey big = new ChannelKey(1, 0, 0, 0);
            ChannelKey second = new ChannelKey(1, 0, 0, 1);
            ChannelKey reverse = new ChannelKey(2, 3, 1, 0);
            ChannelKey other = new ChannelKey(2, 3, 0, 0);
            Map<ChannelKey, Long> records = Map.of(big, 1_000_000L, second, 200_000L, reverse, 200_000L,
                    other, 200_000L);
            Channel[] bigChannel = Nodes.connect(big, a, b, 64, BATCH);
            Channel[] secondChannel = Nodes.connect(second, a, b, 16, BATCH);
            Channel[] reverseChannel = Nodes.connect(reverse, b, a, 32, BATCH);
            Channel[] otherChannel = Nodes.connect(other, a, b, 8, BATCH);
            List<Channel[]> channels = List.of(bigChannel, secondChannel, reverseChannel, otherChannel);
            List<ChannelKey> keys = List.of(big, second, reverse, other);

            // when producers write their scripts and consumers read at full speed
            List<CheckingConsumer> consumers = new ArrayList<>();
            List<ScriptedProducer> producers = new ArrayList<>();
            for (int i = 0; i < keys.size(); i++) {
                producers.add(new ScriptedProducer(channels.get(i)[0], records.get(keys.get(i)), BATCH));
                consumers.add(new CheckingConsumer(channels.get(i)[1], BATCH, 64));
            }
            Runner producing = new Runner(producers.toArray(Nodes.Stepper[]::new));
            Runner consuming = new Runner(consumers.toArray(Nodes.Stepper[]::new));
            await().atMost(Duration.ofSeconds(120)).until(() -> producing.finished() && consuming.finished());

            // then each consumer saw its producer's script exactly
            for (int i = 0; i < keys.size(); i++) {
                long n = records.get(keys.get(i));
                CheckingConsumer c = consumers.get(i);
                assertEquals(n, c.records, keys.get(i) + " records");
                assertEquals(n / BATCH, c.batches, keys.get(i) + " batches");
                assertEquals(expectedControls(n), c.controls, keys.get(i) + " control items");
                if (n > PRIORITY_AT) {
                    assertNotNull(c.priority, "the priority barrier of " + keys.get(i));
                    assertEquals(8, c.priority.checkpointId());
                    assertEquals(PRIORITY_AT, c.recordsBeforePriority(),
                            "records before the position the priority barrier's sequence names");
                    assertTrue(c.takenWithoutBarrier <= c.priority.sequence(),
                            "no item at or after the barrier's position was taken before it was visible");
                } else {
                    assertNull(c.priority);
                }
            }
            // ... over one connection each way, with nothing refused or failed
            DataPlane.Stats sa = a.plane.stats();
            assertEquals(1, sa.connections().size());
            assertEquals(1_400_000, sa.connections().get(0).recordsSent());
            assertEquals(200_000, sa.connections().get(0).recordsReceived());
            assertEquals(1, b.plane.stats().connections().size());
            assertEquals(0, sa.refusedFrames() + b.plane.stats().refusedFrames());
            assertTrue(a.failures.isEmpty() && b.failures.isEmpty(), a.failures + " " + b.failures);
        }
    }

    @Test
    @Timeout(30)
    void anExecutionReleasedOnTheProducersNodeStillDeliversWhatItsProducerQueuedUpToTheEnd() throws Exception {
        try (Node a = new Node(); Node b = new Node()) {
            // given a producer on a that finished (7 items queued) while b's queue holds only 4
            ChannelKey key = new ChannelKey(7, 0, 0, 0);
            Channel out = new Channel(8, 10);
            Channel in = new Channel(4, 10);
            b.plane.registerInbound(key, a.peer(), in, getClass().getClassLoader())
                    .toCompletionStage().toCompletableFuture().get();
            a.plane.registerOutbound(key, b.peer(), out).toCompletionStage().toCompletableFuture().get();
            Runner producing = new Runner(new ScriptedProducer(out, 50, 10));
            await().atMost(Duration.ofSeconds(10)).until(producing::finished);
            await().atMost(Duration.ofSeconds(10)).until(() -> in.queued() == 4);

            // when a releases the execution (its part is done) before b read anything
            a.plane.release(key.executionId()).toCompletionStage().toCompletableFuture().get();
            CheckingConsumer consumer = new CheckingConsumer(in, 10, 1);
            Runner consuming = new Runner(consumer);

            // then b still gets every item up to END_OF_INPUT, and a forgets the channel after it
            await().atMost(Duration.ofSeconds(10)).until(consuming::finished);
            assertEquals(50, consumer.records);
            assertEquals(List.of("50:" + Watermark.MAX, "50:" + Control.END_OF_INPUT), consumer.controls);
            await().atMost(Duration.ofSeconds(5)).until(() -> a.plane.stats().channels().isEmpty());
            assertTrue(a.failures.isEmpty() && b.failures.isEmpty(), a.failures + " " + b.failures);
        }
    }

    @Test
    @Timeout(30)
    void aValueTheCodecCannotEncodeFailsTheExecutionOnTheSendingNode() throws Exception {
        try (Node a = new Node(); Node b = new Node()) {
            // given a channel from a to b
            ChannelKey key = new ChannelKey(6, 0, 0, 0);
            Channel[] channel = Nodes.connect(key, a, b, 8, BATCH);

            // when its producer sends a value that is neither a record nor a built-in type
            channel[0].add(new Object(), 0);
            channel[0].flush();

            // then a reports the execution failed, naming the channel and the type, and b got nothing
            await().atMost(Duration.ofSeconds(10)).until(() -> a.failures.containsKey(key.executionId()));
            String reason = a.failures.get(key.executionId());
            assertTrue(reason.contains(key.toString()) && reason.contains("java.lang.Object"), reason);
            assertNull(a.lostPeers.get(key.executionId()), "no connection was lost");
            assertNull(a.plane.stats().channel(key, false));
            assertEquals(0, channel[1].queued());
        }
    }

    @Test
    @Timeout(30)
    void enoughQueuedItemsOrAControlItemAreSentAtOnceWithoutWaitingForTheBufferTimeout() throws Exception {
        // given data planes that flush only once a minute
        DataPlane.Config minute = flushingEvery(60_000);
        try (Node a = new Node(minute); Node b = new Node(minute)) {
            ChannelKey key = new ChannelKey(9, 0, 0, 0);
            Channel[] channel = Nodes.connect(key, a, b, 256, 10);

            // when the producer queues three wake-ups' worth of full batches
            int batches = 3 * DataPlane.WAKE_ITEMS;
            for (int i = 0; i < batches * 10; i++) {
                channel[0].add(Nodes.trade(i), i);
            }
            // then all but fewer than a wake-up's worth arrive long before the minute is over
            await().atMost(Duration.ofSeconds(10)).until(() -> channel[1].queued() > batches - DataPlane.WAKE_ITEMS);

            // and when it ends its input, the rest and the end arrive at once too
            channel[0].addControl(Control.END_OF_INPUT);
            await().atMost(Duration.ofSeconds(10)).until(() -> channel[1].queued() == batches + 1);
            long records = 0;
            for (int i = 0; i < batches; i++) {
                records += ((Batch) channel[1].poll()).size;
            }
            assertEquals(batches * 10L, records);
            assertEquals(Control.END_OF_INPUT, channel[1].poll());
            assertTrue(a.failures.isEmpty() && b.failures.isEmpty(), a.failures + " " + b.failures);
        }
    }

    @Test
    @Timeout(30)
    void aConsumerGetsItsProducerMoreCreditsWithoutWaitingForTheBufferTimeout() throws Exception {
        // given data planes that flush (and grant credits on their own) only once a minute
        DataPlane.Config minute = flushingEvery(60_000);
        try (Node a = new Node(minute); Node b = new Node(minute)) {
            ChannelKey key = new ChannelKey(11, 0, 0, 0);
            Channel[] channel = Nodes.connect(key, a, b, 16, 10);

            // when a producer sends 300 times what the channel holds to a consumer reading as fast as it can
            CheckingConsumer consumer = new CheckingConsumer(channel[1], 10, 64);
            Runner producing = new Runner(new ScriptedProducer(channel[0], 16 * 300 * 10, 10));
            Runner consuming = new Runner(consumer);

            // then all of it arrives long before the minute is over: the consumer asked for its grants
            await().atMost(Duration.ofSeconds(20)).until(() -> producing.finished() && consuming.finished());
            assertEquals(16 * 300 * 10, consumer.records);
            assertTrue(a.failures.isEmpty() && b.failures.isEmpty(), a.failures + " " + b.failures);
        }
    }

    @Test
    @Timeout(30)
    void aLoneItemIsSentByThePeriodicFlush() throws Exception {
        // given data planes that flush every 50 ms
        DataPlane.Config config = flushingEvery(50);
        try (Node a = new Node(config); Node b = new Node(config)) {
            ChannelKey key = new ChannelKey(10, 0, 0, 0);
            Channel[] channel = Nodes.connect(key, a, b, 256, 10);

            // when the producer queues one batch, too few to wake the sender
            channel[0].add(Nodes.trade(1), 1);
            channel[0].flush();

            // then the flush sends it
            await().atMost(Duration.ofSeconds(10)).until(() -> channel[1].queued() == 1);
            assertEquals(Nodes.trade(1), ((Batch) channel[1].poll()).values[0]);
        }
    }

    @Test
    void aBufferTimeoutOutsideOneMillisecondToOneMinuteIsRefused() {
        for (int ms : new int[] {0, -1, 60_001}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new DataPlane.Config("c", null, DataPlane.Config.DEFAULT_MAX_FRAME_BYTES, ms));
            assertTrue(e.getMessage().contains("buffer timeout"), e.getMessage());
        }
    }

    /** The test nodes' data plane with a periodic flush every {@code millis}. */
    private static DataPlane.Config flushingEvery(int millis) {
        return new DataPlane.Config(Nodes.CONFIG.clusterName(), Nodes.CONFIG.secret(),
                DataPlane.Config.DEFAULT_MAX_FRAME_BYTES, millis);
    }

    /** The control items {@link ScriptedProducer} writes, each after the records before it. */
    private static List<String> expectedControls(long n) {
        List<String> controls = new ArrayList<>();
        for (long r = 100_000; r < n; r += 100_000) {
            controls.add(r + ":" + new Watermark(r - 1));
            if (r == BARRIER_AT) {
                controls.add(r + ":" + new Barrier(7));
            }
            if (r == IDLE_AT) {
                controls.add(r + ":" + Control.IDLE);
            }
        }
        controls.add(n + ":" + Watermark.MAX);
        controls.add(n + ":" + Control.END_OF_INPUT);
        return controls;
    }
}
