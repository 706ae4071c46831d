package io.tidemill.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server for an embedded run (no cluster node, so no REST API): {@code GET /metrics}
 * answers the registry's Prometheus text; any other path is a 404 and another method a 405. The
 * scrape runs on a worker thread, never on the event loop.
 *
 * <pre>{@code
 * try (MetricsServer server = MetricsServer.start("0.0.0.0", 9249, metrics.registry())) {
 *     job.join();
 * }
 * }</pre>
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final Vertx vertx;
    private final HttpServer server;

    private MetricsServer(Vertx vertx, HttpServer server) {
        this.vertx = vertx;
        this.server = server;
    }

    /** Listens on {@code host:port} (port 0: any free one) and returns once bound. */
    public static MetricsServer start(String host, int port, PrometheusMeterRegistry registry) {
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                    .requestHandler(req -> handle(vertx, registry, req))
                    .listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            return new MetricsServer(vertx, server);
        } catch (Exception e) {
            vertx.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot serve metrics on " + host + ":" + port + ": "
                    + cause.getMessage(), cause);
        }
    }

    /** Answers one request: the scrape for {@code GET /metrics}, else 404 or 405. */
    static void handle(Vertx vertx, PrometheusMeterRegistry registry, HttpServerRequest req) {
        String path = req.path();
        if (!path.equals("/metrics") && !path.equals("/metrics/")) {
            req.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end("no such endpoint: " + req.method() + " " + path + " (metrics are at GET /metrics)\n");
            return;
        }
        if (req.method() != HttpMethod.GET && req.method() != HttpMethod.HEAD) {
            req.response().setStatusCode(405).putHeader("Allow", "GET, HEAD")
                    .putHeader("Content-Type", "text/plain; charset=utf-8")
                    .end(req.method() + " is not allowed on /metrics\n");
            return;
        }
        vertx.executeBlocking(registry::scrape).onComplete(r -> {
            if (r.succeeded()) {
                req.response().setStatusCode(200).putHeader("Content-Type", PrometheusMetrics.CONTENT_TYPE)
                        .end(r.result());
            } else {
                LOG.warn("metrics scrape failed: {}", r.cause().toString());
                req.response().setStatusCode(500).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end("the metrics scrape failed: " + r.cause().getMessage() + "\n");
            }
        });
    }

    /** The bound port. */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("closing the metrics server: {}", e.toString());
        }
    }
}
