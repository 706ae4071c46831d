package io.tidemill.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.exchange.Channel;
import io.tidemill.net.DataPlane.ChannelKey;
import io.tidemill.net.DataPlane.Peer;
import io.tidemill.net.Nodes.Node;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A node whose data connection drops reports every execution with channels over it, naming the peer. */
@Timeout(60)
class DataPlaneConnectionLossTest {
    private static final ChannelKey A_TO_B = new ChannelKey(3, 0, 0, 0);
    private static final ChannelKey B_TO_A = new ChannelKey(4, 1, 0, 0);

    @Test
    void aPeerWhoseDataPlaneClosesFailsTheExecutionsOverItNamingThePeer() throws Exception {
        try (Node a = new Node(); Node b = new Node()) {
            connectBothWays(a, b);
            Peer lost = a.peer();

            a.plane.close();

            assertFailedNaming(b, A_TO_B, lost);
            assertFailedNaming(b, B_TO_A, lost);
            assertTrue(a.failures.isEmpty(), "a closing node reports nothing itself: " + a.failures);
        }
    }

    @Test
    void aPeerWhoseVertxStopsFailsTheExecutionsOverItNamingThePeer() throws Exception {
        try (Node a = new Node(); Node b = new Node()) {
            connectBothWays(a, b);
            Peer lost = b.peer();

            b.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            assertFailedNaming(a, A_TO_B, lost);
            assertFailedNaming(a, B_TO_A, lost);
        }
    }

    @Test
    void aPeerThatCannotBeReachedFailsTheExecution() throws Exception {
        try (Node a = new Node()) {
            // 127.0.0.2 sorts above 127.0.0.1, so a dials it; nothing listens there
            Peer nowhere = new Peer("127.0.0.2", 1);
            a.plane.registerOutbound(A_TO_B, nowhere, new Channel(4, 10));

            assertFailedNaming(a, A_TO_B, nowhere);
        }
    }

    private static void connectBothWays(Node a, Node b) throws Exception {
        Channel[] ab = Nodes.connect(A_TO_B, a, b, 8, 10);
        Nodes.connect(B_TO_A, b, a, 8, 10);
        ab[0].add(Nodes.trade(1), 1);
        ab[0].flush();
        await().atMost(Duration.ofSeconds(5)).until(() -> ab[1].queued() == 1);
    }

    private static void assertFailedNaming(Node node, ChannelKey key, Peer peer) {
        await().atMost(Duration.ofSeconds(10)).until(() -> node.failures.containsKey(key.executionId()));
        String reason = node.failures.get(key.executionId());
        assertTrue(reason.contains(peer.toString()), reason);
        assertEquals(peer, node.lostPeers.get(key.executionId()));
        assertNull(node.plane.stats().channel(key, true));
        assertNull(node.plane.stats().channel(key, false));
    }
}
