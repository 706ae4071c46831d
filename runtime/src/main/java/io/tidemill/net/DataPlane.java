package io.tidemill.net;

import io.tidemill.exchange.Channel;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries channels between nodes so that tasks keep using plain local {@link Channel}s.
 *
 * <p>On the producer's node the producer task writes into an ordinary channel (the outbound one) and
 * the data plane is its consumer; on the consumer's node the data plane is the producer of another
 * ordinary channel (the inbound one) that the consumer task reads. The bridge is item-exact: each
 * item taken from the outbound channel is pushed as one item into the inbound channel, so the
 * consumer's {@link Channel#taken} counts the producer's items, and a priority barrier, which
 * overtakes the data, keeps the producer's {@code sequence}.
 *
 * <p>Flow control is credit-based, one credit per item (see {@link InboundBridge} and
 * {@link OutboundBridge}): a slow consumer backpressures its producer through the producer's own
 * bounded channel, no thread ever blocks, and a channel's memory is bounded by its capacity.
 *
 * <p>One TCP connection per pair of nodes carries every channel of every execution between them
 * (see {@link Frames} for the format and {@link Connection} for the handshake and limits). The node
 * whose {@link Peer} sorts lower (as {@code host:port}) dials, the other waits for it, so both nodes
 * must name each other by the same {@code host:port} in their registrations. Frames of executions
 * not registered (released, failed, unknown) are refused: nothing of an old execution reaches a new
 * one. A lost or broken connection reports each execution with channels over it to the
 * {@link Listener} once, and the node goes on.
 *
 * <p>Batching (Flink's buffer timeout): the sender does not write each item as its producer queues
 * it. It sends at once what an arriving credit allows, and when a producer has queued
 * {@value #WAKE_ITEMS} items or queues something a consumer waits for (a watermark, a barrier, the end
 * of input); anything else waits for the periodic flush, every {@link Config#bufferTimeoutMillis}
 * (default {@value Config#DEFAULT_BUFFER_TIMEOUT_MILLIS} ms), which also grants credits for the space
 * consumers freed; a consumer that freed a quarter of its channel while its producer runs out of
 * credits asks for that grant at once (as Flink's receivers announce credit), so the flush period
 * does not cap a channel's rate. A busy channel thus moves in writes of many items and an idle one
 * costs nothing, while a record waits at most about one buffer timeout per hop between nodes. Every
 * wake-up of the event loop, and every write and read, is a system call on both nodes, which costs
 * far more per item than encoding it when items come one at a time.
 *
 * <p>Threads: all state lives on one Vert.x event loop of this data plane: frame handling, the
 * periodic flush (running only while channels are registered), the sends triggered by producers and
 * by arriving credits, the grants consumers ask for. Public methods may be called from any thread;
 * registrations and releases take effect on the event loop in call order.
 *
 * <pre>{@code
 * DataPlane plane = DataPlane.start(vertx, "10.0.0.1", 7100, new DataPlane.Config("prod", secret), listener);
 * plane.registerOutbound(new ChannelKey(execution, edge, 3, 5), new Peer("10.0.0.2", 7100), channel);
 * }</pre>
 */
public final class DataPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DataPlane.class);
    /**
     * Queued items at which a producer wakes its sender before the periodic flush (a quarter of the
     * capacity of a smaller channel): far below the remote channels' capacity (hundreds of items), so
     * a busy producer never fills its queue waiting for the flush, and enough for one write of tens of
     * kilobytes.
     */
    static final int WAKE_ITEMS = 16;
    private static final int MAX_FENCED = 10_000;
    /** Open connections, handshaken or not: a flood of sockets cannot take more. */
    private static final int MAX_CONNECTIONS = 1024;
    private static final long BLOCKING_TIMEOUT_S = 30;
    private static final long DRAIN_SECONDS = 10;

    /**
     * @param clusterName both ends must have the same
     * @param secret both ends must have the same; null for none (no authentication beyond the name)
     * @param maxFrameBytes a frame over this closes the connection; a batch must encode within it
     * @param bufferTimeoutMillis how long queued items may wait before they are sent (1 ms..1 min): the
     *     period of the flush that sends what producers queued and grants credits (see the class comment)
     */
    public record Config(String clusterName, String secret, int maxFrameBytes, int bufferTimeoutMillis) {
        public static final int DEFAULT_MAX_FRAME_BYTES = 16 << 20;
        public static final int DEFAULT_BUFFER_TIMEOUT_MILLIS = 5;
        public static final int MAX_BUFFER_TIMEOUT_MILLIS = 60_000;
        private static final int MIN_MAX_FRAME_BYTES = 64 << 10;

        public Config {
            Objects.requireNonNull(clusterName, "clusterName");
            if (clusterName.isBlank() || utf8Length(clusterName) > Frames.MAX_HELLO_STRING) {
                throw new IllegalArgumentException("clusterName must have 1.." + Frames.MAX_HELLO_STRING + " bytes");
            }
            if (secret != null && (secret.isEmpty() || utf8Length(secret) > Frames.MAX_HELLO_STRING)) {
                throw new IllegalArgumentException("secret must be null or have 1.." + Frames.MAX_HELLO_STRING
                        + " bytes");
            }
            if (maxFrameBytes < MIN_MAX_FRAME_BYTES) {
                throw new IllegalArgumentException("maxFrameBytes must be at least " + MIN_MAX_FRAME_BYTES);
            }
            checkBufferTimeout(bufferTimeoutMillis);
        }

        /** Refuses a buffer timeout outside 1 ms..{@value #MAX_BUFFER_TIMEOUT_MILLIS} ms. */
        public static void checkBufferTimeout(int millis) {
            if (millis < 1 || millis > MAX_BUFFER_TIMEOUT_MILLIS) {
                throw new IllegalArgumentException("the buffer timeout must be 1.." + MAX_BUFFER_TIMEOUT_MILLIS
                        + " ms, was " + millis);
            }
        }

        public Config(String clusterName, String secret) {
            this(clusterName, secret, DEFAULT_MAX_FRAME_BYTES, DEFAULT_BUFFER_TIMEOUT_MILLIS);
        }

        public Config(String clusterName, String secret, int maxFrameBytes) {
            this(clusterName, secret, maxFrameBytes, DEFAULT_BUFFER_TIMEOUT_MILLIS);
        }

        private static int utf8Length(String s) {
            return s.getBytes(StandardCharsets.UTF_8).length;
        }
    }

    /** Told about executions that cannot go on; called on the event loop, so it must not block. */
    public interface Listener {
        /**
         * @param lostPeer the node whose connection was lost or could not be made, if that is the cause;
         *     else null
         */
        void executionFailed(long executionId, String reason, Peer lostPeer);
    }

    /** One channel of one execution: the edge of the job graph and the two subtasks it joins. */
    public record ChannelKey(long executionId, int edge, int producer, int consumer) {}

    /** A node's data plane address, as every node of the cluster names it. */
    public record Peer(String host, int port) {
        public Peer {
            Objects.requireNonNull(host, "host");
        }

        /** Parses {@code host:port} (an IPv6 host in brackets or not: the port follows the last colon). */
        public static Peer parse(String address) {
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException("not a host:port address: '" + address + "'");
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            try {
                return new Peer(host, Integer.parseInt(address.substring(colon + 1)));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a host:port address: '" + address + "'");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /**
     * One registered channel.
     *
     * @param credits inbound: granted and not yet used (items that may still arrive); outbound: received
     *     and not yet used
     * @param queued items in the local channel's queue
     * @param items items received (inbound) or sent (outbound)
     */
    public record ChannelStats(ChannelKey key, Peer peer, boolean inbound, long credits, int queued, int capacity,
            long items) {}

    /** One handshaken connection. */
    public record ConnectionStats(Peer peer, long recordsSent, long bytesSent, long recordsReceived,
            long bytesReceived, long framesSent, long framesReceived) {}

    /**
     * @param refusedFrames frames dropped because their channel is not registered (fencing)
     * @param refusedConnections connections closed at the handshake (wrong cluster, secret, version)
     */
    public record Stats(List<ChannelStats> channels, List<ConnectionStats> connections, long refusedFrames,
            long refusedConnections) {
        /** The stats of one registered channel, or null. */
        public ChannelStats channel(ChannelKey key, boolean inbound) {
            for (ChannelStats c : channels) {
                if (c.key.equals(key) && c.inbound == inbound) {
                    return c;
                }
            }
            return null;
        }
    }

    private final Vertx vertx;
    private final Context context;
    private final Config config;
    private final Listener listener;
    private final byte[] secretDigest;
    private final int softFrameBytes;
    private NetServer server;
    private NetClient client;
    private Peer self;
    private final Map<Peer, PeerLink> links = new ConcurrentHashMap<>();
    /** Every open connection, handshaken or not (event loop only). */
    private final Set<Connection> connections = new HashSet<>();
    /** Released and failed executions, newest last, bounded (event loop only). */
    private final LinkedHashSet<Long> fenced = new LinkedHashSet<>();
    private long flushTimer = -1;
    private volatile boolean closing;
    private volatile long refusedFrames;
    private volatile long refusedConnections;

    private DataPlane(Vertx vertx, Config config, Listener listener) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        this.config = config;
        this.listener = listener;
        this.secretDigest = digest(config.secret());
        this.softFrameBytes = Math.min(64 << 10, config.maxFrameBytes() / 4);
    }

    /**
     * Starts a data plane listening on {@code bindHost:port} (0: any free port), which is also the
     * address other nodes know it by; returns when it is bound. Must not be called on an event loop.
     */
    public static DataPlane start(Vertx vertx, String bindHost, int port, Config config, Listener listener) {
        return start(vertx, bindHost, bindHost, port, config, listener);
    }

    /**
     * Starts a data plane listening on {@code bindHost:port} (e.g. {@code 0.0.0.0}) that other nodes know
     * as {@code advertisedHost:port}; returns when it is bound. Must not be called on an event loop.
     */
    public static DataPlane start(Vertx vertx, String bindHost, String advertisedHost, int port, Config config,
            Listener listener) {
        DataPlane plane = new DataPlane(vertx, Objects.requireNonNull(config), Objects.requireNonNull(listener));
        Promise<Void> bound = Promise.promise();
        plane.context.runOnContext(v -> plane.listen(bindHost, advertisedHost, port, bound));
        await(bound.future(), "bind the data plane to " + bindHost + ":" + port);
        return plane;
    }

    private void listen(String bindHost, String advertisedHost, int port, Promise<Void> bound) {
        client = vertx.createNetClient(new NetClientOptions().setTcpNoDelay(true).setTcpKeepAlive(true)
                .setConnectTimeout(5_000));
        server = vertx.createNetServer(new NetServerOptions().setHost(bindHost).setPort(port).setTcpNoDelay(true)
                .setTcpKeepAlive(true));
        server.connectHandler(socket -> accept(new Connection(this, socket, null)));
        server.listen().onComplete(ar -> {
            if (ar.succeeded()) {
                self = new Peer(advertisedHost, ar.result().actualPort());
                bound.complete();
            } else {
                bound.fail(ar.cause());
            }
        });
    }

    /** The port this data plane listens on. */
    public int port() {
        return self.port();
    }

    /** This node's address as other nodes know it. */
    public Peer self() {
        return self;
    }

    /**
     * The consumer end of a remote channel on this node: items the producer on {@code producerNode}
     * sends go into {@code channel}, of which the data plane becomes the only producer. Values are
     * decoded with {@code loader} (the execution's class loader) as the thread context class loader.
     */
    public Future<Void> registerInbound(ChannelKey key, Peer producerNode, Channel channel, ClassLoader loader) {
        InboundBridge bridge = new InboundBridge(key, channel, Objects.requireNonNull(loader));
        return onEventLoop(() -> {
            if (admit(key, producerNode)) {
                PeerLink link = link(producerNode);
                link.addInbound(bridge);
                // The consumer asks for a grant when it has freed the space of one (see InboundBridge) and
                // its producer is running out of credits, so that a fast consumer's producer is not held to
                // what one flush period's grants allow. Not sooner: every grant is a write, a read and a
                // wake-up, and a producer with credits left sends its items in larger writes.
                Runnable grant = coalesced(() -> link.grantNow(bridge));
                channel.onTake(bridge.threshold(), () -> {
                    if (bridge.outstanding < bridge.threshold()) {
                        grant.run();
                    }
                });
                updateFlushTimer();
            }
        });
    }

    /**
     * The producer end of a remote channel on this node: the items a local producer puts into
     * {@code channel} are sent to {@code consumerNode}; the data plane becomes the channel's only
     * consumer.
     */
    public Future<Void> registerOutbound(ChannelKey key, Peer consumerNode, Channel channel) {
        OutboundBridge bridge = new OutboundBridge(key, channel);
        return onEventLoop(() -> {
            if (admit(key, consumerNode)) {
                PeerLink link = link(consumerNode);
                link.addOutbound(bridge);
                // The producer wakes the sender for what should not wait for the flush (see the class
                // comment), coalesced: one pending wake-up on the event loop at a time. Items queued
                // without credits wait for the credits, whose arrival sends them; a wake-up missed in a
                // race with that arrival leaves them to the next flush.
                Runnable wake = coalesced(link::wake);
                int wakeAt = Math.max(1, Math.min(WAKE_ITEMS, channel.capacity() / 4));
                channel.onPush(urgent -> {
                    if (urgent || channel.queued() >= wakeAt && bridge.credits > 0) {
                        wake.run();
                    }
                });
                updateFlushTimer();
            }
        });
    }

    /**
     * Forgets every channel of an execution; its later frames are refused. An outbound channel that has
     * not sent END_OF_INPUT yet first sends what its producer queued until it has, for at most
     * {@value #DRAIN_SECONDS} s: the execution may have finished on this node with its last items still
     * on their way to consumers elsewhere.
     */
    public Future<Void> release(long executionId) {
        return onEventLoop(() -> {
            fence(executionId);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DRAIN_SECONDS);
            for (PeerLink link : links.values()) {
                link.release(executionId, deadline);
            }
            updateFlushTimer();
        });
    }

    /** Accounting for tests and metrics; may be called from any thread (values are a racy snapshot). */
    public Stats stats() {
        List<ChannelStats> channels = new ArrayList<>();
        List<ConnectionStats> conns = new ArrayList<>();
        for (PeerLink link : links.values()) {
            for (InboundBridge b : link.inbound.values()) {
                channels.add(new ChannelStats(b.key, link.peer, true, b.outstanding, b.channel.queued(),
                        b.channel.capacity(), b.items));
            }
            for (OutboundBridge b : link.outbound.values()) {
                channels.add(new ChannelStats(b.key, link.peer, false, b.credits, b.channel.queued(),
                        b.channel.capacity(), b.items));
            }
            Connection c = link.connection();
            if (c != null) {
                conns.add(new ConnectionStats(link.peer, c.recordsSent, c.bytesSent, c.recordsReceived,
                        c.bytesReceived, c.out.frames, c.framesReceived));
            }
        }
        return new Stats(channels, conns, refusedFrames, refusedConnections);
    }

    /**
     * Closes every connection and stops listening; executions are not reported failed here (the peers
     * report theirs). Waits for it unless called on an event loop.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        Promise<Void> done = Promise.promise();
        if (!runOnContext(v -> {
            if (flushTimer >= 0) {
                vertx.cancelTimer(flushTimer);
            }
            for (Connection c : new ArrayList<>(connections)) {
                c.socket.close();
            }
            Future.join(server.close(), client.close()).<Void>mapEmpty().onComplete(done);
        })) {
            return; // Vert.x is closed already, and with it every socket of this data plane
        }
        if (!Context.isOnEventLoopThread()) {
            await(done.future(), "close the data plane");
        }
    }

    // ---- event loop internals ----

    private boolean admit(ChannelKey key, Peer peer) {
        if (closing) {
            return false;
        }
        if (peer.equals(self)) {
            throw new IllegalArgumentException("channel " + key + " leads to this node itself: use a local channel");
        }
        if (fenced.contains(key.executionId())) {
            notifyFailed(key.executionId(), "channel " + key + " registered after its execution was released or "
                    + "failed", null);
            return false;
        }
        return true;
    }

    private PeerLink link(Peer peer) {
        return links.computeIfAbsent(peer, p -> new PeerLink(this, p));
    }

    /** Runs the periodic flush only while some channel is registered. */
    private void updateFlushTimer() {
        boolean needed = false;
        for (PeerLink link : links.values()) {
            needed |= link.hasChannels();
        }
        if (needed && flushTimer < 0 && !closing) {
            flushTimer = vertx.setPeriodic(config.bufferTimeoutMillis(), id -> flushAll());
        } else if (!needed && flushTimer >= 0) {
            vertx.cancelTimer(flushTimer);
            flushTimer = -1;
        }
    }

    private void flushAll() {
        for (PeerLink link : links.values()) {
            link.flush();
        }
        updateFlushTimer(); // drained channels of released executions are gone
    }

    private void accept(Connection c) {
        if (closing) {
            c.socket.close();
            return;
        }
        if (connections.size() >= MAX_CONNECTIONS) {
            LOG.warn("Refused a data connection from {}: already {} open", c.socket.remoteAddress(), MAX_CONNECTIONS);
            refusedConnections++;
            c.socket.close();
            return;
        }
        connections.add(c);
        c.start();
    }

    /** Whether this node dials {@code peer} (the lower address dials). */
    boolean dials(Peer peer) {
        return self.toString().compareTo(peer.toString()) < 0;
    }

    void dial(PeerLink link) {
        if (closing) {
            return;
        }
        client.connect(link.peer.port(), link.peer.host()).onComplete(ar -> {
            if (ar.failed()) {
                link.dialFailed(String.valueOf(ar.cause().getMessage()));
            } else if (closing) {
                ar.result().close();
            } else {
                Connection c = new Connection(this, ar.result(), link);
                connections.add(c);
                c.start();
            }
        });
    }

    /** Null if {@code hello} may join, else why not. */
    String checkHello(Frames.Hello hello) {
        if (hello.magic() != Frames.MAGIC) {
            return "not a Tidemill data plane (bad magic)";
        }
        if (hello.version() != Frames.VERSION) {
            return "protocol version " + hello.version() + ", this node speaks " + Frames.VERSION;
        }
        if (!hello.cluster().equals(config.clusterName())) {
            return "cluster '" + hello.cluster() + "', this node is in '" + config.clusterName() + "'";
        }
        String secret = hello.secret().isEmpty() ? null : hello.secret();
        if (!MessageDigest.isEqual(digest(secret), secretDigest)) {
            return "wrong secret";
        }
        return null;
    }

    PeerLink onHandshake(Peer peer, Connection c) {
        PeerLink link = links.computeIfAbsent(peer, p -> new PeerLink(this, p));
        LOG.debug("Data connection with {} established", peer);
        link.attach(c);
        return link;
    }

    void forget(Connection c) {
        connections.remove(c);
    }

    /**
     * Fails an execution from this side: its channels are released and the listener told, once.
     *
     * @param lostPeer the node whose connection is the cause, or null
     */
    void failExecution(long executionId, String reason, Peer lostPeer) {
        if (fenced.contains(executionId)) {
            return; // released or reported before
        }
        fence(executionId);
        for (PeerLink link : links.values()) {
            link.forget(executionId);
        }
        notifyFailed(executionId, reason, lostPeer);
        updateFlushTimer();
    }

    private void notifyFailed(long executionId, String reason, Peer lostPeer) {
        if (closing) {
            return;
        }
        try {
            listener.executionFailed(executionId, reason, lostPeer);
        } catch (RuntimeException e) {
            LOG.error("The data plane listener failed on execution {}", executionId, e);
        }
    }

    private void fence(long executionId) {
        fenced.remove(executionId);
        fenced.add(executionId);
        if (fenced.size() > MAX_FENCED) {
            Iterator<Long> oldest = fenced.iterator();
            oldest.next();
            oldest.remove();
        }
    }

    boolean isFenced(long executionId) {
        return fenced.contains(executionId);
    }

    void refused(ChannelKey key, String what) {
        refusedFrames++;
        LOG.debug("Refused a {} frame for channel {}: not registered", what, key);
    }

    void countRefusedConnection() {
        refusedConnections++;
    }

    Vertx vertx() {
        return vertx;
    }

    Config config() {
        return config;
    }

    boolean isClosing() {
        return closing;
    }

    int softFrameBytes() {
        return softFrameBytes;
    }

    int flushBytes() {
        return 4 * softFrameBytes;
    }

    private Future<Void> onEventLoop(Runnable action) {
        Promise<Void> done = Promise.promise();
        if (!runOnContext(v -> {
            try {
                action.run();
                done.complete();
            } catch (RuntimeException e) {
                done.fail(e);
            }
        })) {
            done.fail(new IllegalStateException("the data plane's Vert.x instance is closed"));
        }
        return done.future();
    }

    /**
     * {@code action} run on the event loop when asked from any thread, at most once pending: asks
     * while it waits to run are one run.
     */
    private Runnable coalesced(Runnable action) {
        AtomicBoolean pending = new AtomicBoolean();
        return () -> {
            if (pending.compareAndSet(false, true)) {
                runOnContext(v -> {
                    pending.set(false);
                    action.run();
                });
            }
        };
    }

    /** False if Vert.x is closed already. */
    private boolean runOnContext(Handler<Void> action) {
        try {
            context.runOnContext(action);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private static byte[] digest(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static <T> T await(Future<T> future, String what) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("cannot wait to " + what + " on an event loop");
        }
        try {
            return future.toCompletionStage().toCompletableFuture().get(BLOCKING_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to " + what, e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
