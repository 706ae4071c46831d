package io.tidemill.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for nodes started by tests and benchmarks. They are taken below Linux's
 * ephemeral range (32768 and up): a port the kernel hands out for {@code new ServerSocket(0)} can be
 * taken, between the test closing it and a node binding it, by any outgoing connection (Hazelcast
 * members dial each other constantly), which made cluster tests fail with "address already in use".
 */
public final class FreePorts {
    private static final int FROM = 20_000;
    private static final int TO = 32_000;

    private FreePorts() {}

    /** A port nothing listens on now, outside the ephemeral range when possible. */
    public static int pick() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(FROM, TO);
            try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
