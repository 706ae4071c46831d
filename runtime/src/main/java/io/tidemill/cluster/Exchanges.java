package io.tidemill.cluster;

import io.tidemill.cluster.rest.RestApi;
import io.tidemill.exchange.Channel;
import io.tidemill.net.DataPlane;
import io.vertx.core.Vertx;

/** Starts the node's network servers: the data plane and the REST API. */
final class Exchanges {
    private Exchanges() {}

    interface FailureListener {
        void executionFailed(long executionId, String reason, String lostPeer);
    }

    /**
     * Starts the data plane on the node's bind address and data port, known to the others by the
     * advertised host; a failure it reports names the lost peer as {@code host:port}, as in the
     * deployment's data addresses.
     */
    static Exchange start(Vertx vertx, NodeConfig config, FailureListener listener) {
        DataPlane plane = DataPlane.start(vertx, config.bindAddress(), config.advertisedHost(), config.dataPort(),
                new DataPlane.Config(config.clusterName(), config.secret(), DataPlane.Config.DEFAULT_MAX_FRAME_BYTES,
                        config.bufferTimeoutMillis()),
                (execution, reason, lostPeer) -> listener.executionFailed(execution, reason,
                        lostPeer == null ? null : lostPeer.toString()));
        return new Exchange() {
            @Override
            public int port() {
                return plane.port();
            }

            @Override
            public void inbound(long executionId, int edge, int producer, int consumer, String producerAddress,
                                Channel channel, ClassLoader loader) {
                plane.registerInbound(new DataPlane.ChannelKey(executionId, edge, producer, consumer),
                        DataPlane.Peer.parse(producerAddress), channel, loader);
            }

            @Override
            public void outbound(long executionId, int edge, int producer, int consumer, String consumerAddress,
                                 Channel channel) {
                plane.registerOutbound(new DataPlane.ChannelKey(executionId, edge, producer, consumer),
                        DataPlane.Peer.parse(consumerAddress), channel);
            }

            @Override
            public void release(long executionId) {
                plane.release(executionId);
            }

            @Override
            public DataPlane.Stats stats() {
                return plane.stats();
            }

            @Override
            public void close() {
                plane.close();
            }
        };
    }

    /** Starts the REST API; puts its port into {@code out[0]}. */
    static AutoCloseable startRest(Vertx vertx, NodeConfig config, TidemillNode node, Object[] out) {
        RestApi api = RestApi.start(vertx, config.httpHost(), config.httpPort(), node, config.apiToken());
        out[0] = api.port();
        return api;
    }
}
