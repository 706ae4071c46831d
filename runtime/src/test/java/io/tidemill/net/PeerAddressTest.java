package io.tidemill.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tidemill.net.DataPlane.Peer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A node's data address as the cluster writes it, {@code host:port}. */
class PeerAddressTest {
    @ParameterizedTest
    @CsvSource({
        "10.0.0.1:7100, 10.0.0.1, 7100",
        "node-2.tidemill.svc:7100, node-2.tidemill.svc, 7100",
        "[::1]:7100, ::1, 7100",
        "fe80::1:7100, fe80::1, 7100",
    })
    void anAddressParsesIntoHostAndPort(String address, String host, int port) {
        assertEquals(new Peer(host, port), Peer.parse(address));
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.1", "10.0.0.1:", ":7100", "host:port"})
    void anAddressWithoutHostOrPortIsRefused(String address) {
        assertThrows(IllegalArgumentException.class, () -> Peer.parse(address));
    }
}
