package io.tidemill.cluster;

import io.tidemill.exchange.Channel;
import io.tidemill.net.DataPlane;

/** The data plane as a member's executions use it: remote ends of channels, by execution. */
interface Exchange extends AutoCloseable {
    /** This node's data port. */
    int port();

    /** {@code channel} on this node is filled from the producer subtask on {@code producerAddress}. */
    void inbound(long executionId, int edge, int producer, int consumer, String producerAddress, Channel channel,
                 ClassLoader loader);

    /** {@code channel} on this node is drained to the consumer subtask on {@code consumerAddress}. */
    void outbound(long executionId, int edge, int producer, int consumer, String consumerAddress, Channel channel);

    /** Forgets an execution's channels; later frames of it are refused. */
    void release(long executionId);

    /** The data plane's accounting: per channel credits and queue, per connection traffic. */
    DataPlane.Stats stats();

    @Override
    void close();
}
