package io.tidemill.cluster;

import io.tidemill.cluster.rest.RestApi;
import io.tidemill.exchange.Channel;
import io.vertx.core.Vertx;

/** Starts the node's network servers: the data plane and the REST API. */
final class Exchanges {
    private Exchanges() {}

    interface FailureListener {
        void executionFailed(long executionId, String reason, String lostPeer);
    }

    static Exchange start(Vertx vertx, NodeConfig config, FailureListener listener) {
        return new Exchange() {
            @Override
            public int port() {
                return config.dataPort();
            }

            @Override
            public void inbound(long executionId, int edge, int producer, int consumer, String producerAddress,
                                Channel channel, ClassLoader loader) {
                throw new UnsupportedOperationException("no data plane yet");
            }

            @Override
            public void outbound(long executionId, int edge, int producer, int consumer, String consumerAddress,
                                 Channel channel) {
                throw new UnsupportedOperationException("no data plane yet");
            }

            @Override
            public void release(long executionId) {}

            @Override
            public void close() {}
        };
    }

    /** Starts the REST API; puts its port into {@code out[0]}. */
    static AutoCloseable startRest(Vertx vertx, NodeConfig config, TidemillNode node, Object[] out) {
        RestApi api = RestApi.start(vertx, config.httpHost(), config.httpPort(), node, config.apiToken());
        out[0] = api.port();
        return api;
    }
}
