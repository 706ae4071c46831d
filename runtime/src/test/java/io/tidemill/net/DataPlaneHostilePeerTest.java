package io.tidemill.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.exchange.Batch;
import io.tidemill.exchange.Channel;
import io.tidemill.net.DataPlane.ChannelKey;
import io.tidemill.net.DataPlane.Peer;
import io.tidemill.net.Nodes.CheckingConsumer;
import io.tidemill.net.Nodes.Node;
import io.tidemill.net.Nodes.Runner;
import io.tidemill.net.Nodes.ScriptedProducer;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that does not follow the protocol is cut off with a log line, the executions with channels on
 * its connection are reported failed, frames of unregistered executions are refused, and meanwhile a
 * legitimate execution between two other nodes goes on undisturbed.
 */
@Timeout(60)
class DataPlaneHostilePeerTest {
    private static final int BATCH = 100;
    private static final long LEGIT_RECORDS = 300_000;
    private static final ChannelKey LEGIT = new ChannelKey(1, 0, 0, 0);
    /** Sorts below the nodes' 127.0.0.1 addresses, so they wait for it to dial. */
    private static final Peer IMPOSTOR = new Peer("127.0.0.0", 1);
    private static final ChannelKey IMPOSTOR_CHANNEL = new ChannelKey(5, 2, 0, 0);

    private Node a;
    private Node b;
    private CheckingConsumer legit;
    private Runner producing;
    private Runner consuming;

    @BeforeEach
    void startALegitimateExecutionFromAToB() throws Exception {
        a = new Node();
        b = new Node();
        Channel[] channel = Nodes.connect(LEGIT, a, b, 16, BATCH);
        legit = new CheckingConsumer(channel[1], BATCH, 64);
        producing = new Runner(new ScriptedProducer(channel[0], LEGIT_RECORDS, BATCH));
        consuming = new Runner(legit);
    }

    @AfterEach
    void theLegitimateExecutionCompletedUndisturbed() throws Exception {
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> producing.finished() && consuming.finished());
            assertEquals(LEGIT_RECORDS, legit.records);
            assertNull(b.failures.get(LEGIT.executionId()));
            assertNull(a.failures.get(LEGIT.executionId()));
        } finally {
            b.close();
            a.close();
        }
    }

    @Test
    void randomBytesCloseTheConnection() throws Exception {
        byte[] noise = new byte[8192];
        new Random(42).nextBytes(noise);
        try (RawPeer peer = new RawPeer(b.peer())) {
            peer.bytes(noise);
            await().atMost(Duration.ofSeconds(5)).until(peer::closedByDataPlane);
        }
    }

    @Test
    void anOversizedLengthBeforeTheHandshakeClosesTheConnection() throws Exception {
        try (RawPeer peer = new RawPeer(b.peer())) {
            peer.lengthPrefix(Integer.MAX_VALUE);
            await().atMost(Duration.ofSeconds(5)).until(peer::closedByDataPlane);
        }
    }

    @Test
    void aFrameOverTheMaximumClosesTheConnectionAndFailsItsExecutions() throws Exception {
        assertImpostorChannelFailsAfter(peer -> peer.lengthPrefix(Nodes.CONFIG.maxFrameBytes() + 1));
    }

    @Test
    void aHandshakeFromAnotherClusterIsRefused() throws Exception {
        assertHandshakeRefused("other-cluster", Nodes.CONFIG.secret());
    }

    @Test
    void aHandshakeWithAWrongSecretIsRefused() throws Exception {
        assertHandshakeRefused(Nodes.CONFIG.clusterName(), "guess");
    }

    @Test
    void aHandshakeWithoutTheSecretIsRefused() throws Exception {
        assertHandshakeRefused(Nodes.CONFIG.clusterName(), null);
    }

    @Test
    void framesOfAnUnregisteredExecutionAreRefusedAndTheConnectionStays() throws Exception {
        try (RawPeer peer = new RawPeer(b.peer())) {
            // when a handshaken peer sends data and a priority barrier of an execution b does not know
            peer.hello(Nodes.CONFIG.clusterName(), Nodes.CONFIG.secret(), IMPOSTOR);
            ChannelKey old = new ChannelKey(999, 0, 0, 0);
            peer.data(old, "stale", "records");
            peer.frame(Frames.PRIORITY_BARRIER, old, new byte[16]);

            // then both are refused, and the connection stays
            await().atMost(Duration.ofSeconds(5)).until(() -> b.plane.stats().refusedFrames() == 2);
            assertFalse(peer.closedByDataPlane());
        }
    }

    @Test
    void framesInPiecesAndFramesPackedInOneWriteArriveWhole() throws Exception {
        // given b expects a channel from the impostor, which speaks the protocol correctly
        Channel channel = new Channel(4, BATCH);
        b.plane.registerInbound(IMPOSTOR_CHANNEL, IMPOSTOR, channel, getClass().getClassLoader())
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        try (RawPeer peer = new RawPeer(b.peer())) {
            // when the handshake and a frame come a byte per write, then two frames in one write
            peer.oneByteAtATime(true).hello(Nodes.CONFIG.clusterName(), Nodes.CONFIG.secret(), IMPOSTOR);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> b.plane.stats().channel(IMPOSTOR_CHANNEL, true).credits() == 4);
            peer.data(IMPOSTOR_CHANNEL, "in", "pieces", 42L);
            peer.oneByteAtATime(false).hold().data(IMPOSTOR_CHANNEL, "packed").data(IMPOSTOR_CHANNEL, 7L).release();

            // then every record arrives in order and the connection stays
            List<Object> received = new ArrayList<>();
            await().atMost(Duration.ofSeconds(5)).until(() -> {
                for (Object item = channel.poll(); item != null; item = channel.poll()) {
                    Batch batch = (Batch) item;
                    received.addAll(Arrays.asList(batch.values).subList(0, batch.size));
                }
                return received.size() == 5;
            });
            assertEquals(List.of("in", "pieces", 42L, "packed", 7L), received);
            assertFalse(peer.closedByDataPlane());
        }
    }

    @Test
    void framesOfAReleasedExecutionAreRefused() throws Exception {
        // given an execution from a to b whose consumer has its credits
        ChannelKey old = new ChannelKey(10, 0, 0, 0);
        Channel[] channel = Nodes.connect(old, a, b, 16, BATCH);
        await().atMost(Duration.ofSeconds(5)).until(() -> a.plane.stats().channel(old, false).credits() > 0);

        // when b releases it (a restart), and a's producer still sends a batch
        b.plane.release(old.executionId()).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        channel[0].add(Nodes.trade(0), 0);
        channel[0].flush();

        // then b refuses it, and the old channel receives nothing
        await().atMost(Duration.ofSeconds(5)).until(() -> b.plane.stats().refusedFrames() == 1);
        assertEquals(0, channel[1].queued());
        assertNull(b.plane.stats().channel(old, true));
    }

    @Test
    void aMalformedFrameFailsTheExecutionsOnTheConnection() throws Exception {
        assertImpostorChannelFailsAfter(peer -> peer.frame(Frames.DATA, IMPOSTOR_CHANNEL, (byte) 99)); // item tag
    }

    @Test
    void aTruncatedFrameFailsTheExecutionsOnTheConnection() throws Exception {
        // a batch that claims 5 records and holds one byte of them
        assertImpostorChannelFailsAfter(peer -> peer.frame(Frames.DATA, IMPOSTOR_CHANNEL, Frames.BATCH, (byte) 0,
                (byte) 0, (byte) 0, (byte) 5, (byte) 1));
    }

    @Test
    void aValueNestedTooDeeplyFailsTheExecutionsOnTheConnection() throws Exception {
        // a batch of one record whose value is an array holding an array holding ... 200,000 deep
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {Frames.BATCH, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0});
        for (int i = 0; i < 200_000; i++) {
            body.writeBytes(new byte[] {7, 0, 0, 0, 1}); // ValueCodec's OBJECT_ARRAY of length 1
        }
        assertImpostorChannelFailsAfter(peer -> peer.frame(Frames.DATA, IMPOSTOR_CHANNEL, body.toByteArray()));
    }

    @Test
    void anUnknownFrameTypeFailsTheExecutionsOnTheConnection() throws Exception {
        assertImpostorChannelFailsAfter(peer -> peer.frame((byte) 42, IMPOSTOR_CHANNEL));
    }

    @Test
    void moreItemsThanCreditsFailTheExecutionsOnTheConnection() throws Exception {
        assertImpostorChannelFailsAfter(peer -> {
            for (int i = 0; i <= 4; i++) {
                peer.data(IMPOSTOR_CHANNEL, "flood");
            }
        });
    }

    private interface Hostility {
        void sendTo(RawPeer peer) throws Exception;
    }

    /**
     * Given b expects a channel (capacity 4) from the impostor's address and granted it its credits,
     * when the impostor, handshaken, sends {@code hostility}, then b closes the connection and reports
     * the channel's execution failed, naming the impostor.
     */
    private void assertImpostorChannelFailsAfter(Hostility hostility) throws Exception {
        registerImpostorChannel();
        try (RawPeer peer = new RawPeer(b.peer())) {
            peer.hello(Nodes.CONFIG.clusterName(), Nodes.CONFIG.secret(), IMPOSTOR);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> b.plane.stats().channel(IMPOSTOR_CHANNEL, true).credits() == 4);
            hostility.sendTo(peer);
            await().atMost(Duration.ofSeconds(5)).until(peer::closedByDataPlane);
        }
        assertImpostorChannelFailed();
    }

    private void assertHandshakeRefused(String cluster, String secret) throws Exception {
        try (RawPeer peer = new RawPeer(b.peer())) {
            peer.hello(cluster, secret, IMPOSTOR);
            await().atMost(Duration.ofSeconds(5)).until(peer::closedByDataPlane);
        }
        assertEquals(1, b.plane.stats().refusedConnections());
    }

    /** b expects a channel (capacity 4) from the impostor's address, which dials b. */
    private void registerImpostorChannel() throws Exception {
        b.plane.registerInbound(IMPOSTOR_CHANNEL, IMPOSTOR, new Channel(4, BATCH), getClass().getClassLoader())
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void assertImpostorChannelFailed() {
        await().atMost(Duration.ofSeconds(5)).until(() -> b.failures.containsKey(IMPOSTOR_CHANNEL.executionId()));
        String reason = b.failures.get(IMPOSTOR_CHANNEL.executionId());
        assertTrue(reason.contains(IMPOSTOR.toString()), reason);
        assertEquals(IMPOSTOR, b.lostPeers.get(IMPOSTOR_CHANNEL.executionId()));
        assertNull(b.plane.stats().channel(IMPOSTOR_CHANNEL, true));
    }
}
