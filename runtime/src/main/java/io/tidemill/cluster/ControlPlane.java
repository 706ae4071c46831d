package io.tidemill.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Messages between the job master and the members: one Hazelcast topic per member
 * ({@code tidemill-control-<uuid>}), JSON payloads. Hazelcast delivers a publisher's messages to a
 * topic in order; this node handles its messages one at a time on {@code handlerThread}, so a
 * handler sees them in the order they were sent and must not block for long (it hands slow work
 * to other threads).
 *
 * <p>Why Hazelcast topics and not a clustered Vert.x event bus: the membership that decides who is
 * master and who is alive is Hazelcast's, so control messages travel the same way and are dropped
 * for a member exactly when Hazelcast removes it; one cluster view, one transport, no second
 * cluster manager to keep in step (vertx-hazelcast is built against an older Hazelcast).
 */
final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final HazelcastInstance hz;
    private final ExecutorService handlerThread;
    private final Consumer<ControlMessage> handler;
    /** This member's uuid: Hazelcast gives a member a new one when it merges after a split. */
    private volatile String self;
    private ITopic<String> inbox;
    private UUID registration;
    /** Messages received, by kind: how much the control plane costs (DESIGN.md's scaling figures). */
    private final java.util.concurrent.ConcurrentHashMap<ControlMessage.Kind, java.util.concurrent.atomic.LongAdder>
            received = new java.util.concurrent.ConcurrentHashMap<>();

    ControlPlane(HazelcastInstance hz, ExecutorService handlerThread, Consumer<ControlMessage> handler) {
        this.hz = hz;
        this.handlerThread = handlerThread;
        this.handler = handler;
        listen();
    }

    /**
     * Listens on the topic of this member's current uuid. After a split-brain merge the member has
     * a new uuid, which the master sends to; without this it would never hear from it again.
     */
    synchronized void listen() {
        String uuid = hz.getCluster().getLocalMember().getUuid().toString();
        if (uuid.equals(self)) {
            return;
        }
        if (inbox != null) {
            LOG.info("this member's uuid changed from {} to {} (merged after a split): listening on its new topic",
                    self, uuid);
            removeListener();
        }
        self = uuid;
        inbox = hz.getTopic(topicOf(uuid));
        registration = inbox.addMessageListener(m -> {
            ControlMessage msg;
            try {
                msg = JSON.readValue(m.getMessageObject(), ControlMessage.class);
            } catch (Exception e) {
                LOG.warn("dropping a malformed control message: {}", e.getMessage());
                return;
            }
            received.computeIfAbsent(msg.kind(), k -> new java.util.concurrent.atomic.LongAdder()).increment();
            try {
                handlerThread.execute(() -> {
                    try {
                        handler.accept(msg);
                    } catch (RuntimeException e) {
                        LOG.warn("control message {} of job {} failed: {}", msg.kind(), msg.jobId(), e.toString(),
                                e);
                    }
                });
            } catch (RejectedExecutionException e) {
                // the node is shutting down
            }
        });
    }

    private static String topicOf(String member) {
        return "tidemill-control-" + member;
    }

    /** Control messages this node received so far, by kind. */
    java.util.Map<String, Long> receivedCounts() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        received.forEach((k, v) -> out.put(k.name(), v.sum()));
        return out;
    }

    String self() {
        return self;
    }

    /** Sends {@code msg} to member {@code member} (this one included); never blocks for the answer. */
    void send(String member, ControlMessage msg) {
        String json;
        try {
            json = JSON.writeValueAsString(msg);
        } catch (Exception e) {
            throw new IllegalStateException("cannot encode control message " + msg.kind(), e);
        }
        try {
            hz.<String>getTopic(topicOf(member)).publishAsync(json);
        } catch (RuntimeException e) {
            LOG.debug("cannot send {} to {}: {}", msg.kind(), member, e.toString());
        }
    }

    @Override
    public synchronized void close() {
        removeListener();
    }

    private void removeListener() {
        try {
            inbox.removeMessageListener(registration);
        } catch (RuntimeException e) {
            // Hazelcast is already down
        }
    }
}
