package io.tidemill.cluster.rest;

import io.tidemill.cluster.api.ClusterService;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a request about jobs to the job master when this node is not the master, and relays the
 * master's answer (status, body) to the caller.
 *
 * <p>Invariants: a request is forwarded at most once: the forwarded copy carries {@link #HEADER},
 * and a node that gets such a copy without being the master answers 503 instead of forwarding it
 * again (masters changing hands, or a {@code masterUrl} pointing at the wrong node, cannot make a
 * loop). The body is streamed to the master as it arrives: this handler runs before any body
 * handler, pauses the request at once and lets the client request resume it, so a jar is never held
 * twice and the master applies its own size limits.
 */
final class MasterForwarding implements Handler<RoutingContext> {
    static final String HEADER = "X-Tidemill-Forwarded";
    private static final Logger LOG = LoggerFactory.getLogger(MasterForwarding.class);
    /** Headers the master needs to answer as if it had been asked directly. */
    private static final List<String> COPIED = List.of("Content-Type", "Content-Length", "Authorization",
            "Accept");
    /** Headers of the master's answer that mean something to the caller. */
    private static final List<String> RELAYED = List.of("Content-Type", "Allow", "WWW-Authenticate");
    private static final long IDLE_TIMEOUT_MILLIS = 10_000;

    private final ClusterService service;
    private final HttpClient client;

    MasterForwarding(ClusterService service, HttpClient client) {
        this.service = service;
        this.client = client;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (service.isMaster()) {
            ctx.next();
            return;
        }
        HttpServerRequest in = ctx.request();
        if (in.getHeader(HEADER) != null) {
            Reply.error(ctx, 503, "this node got a forwarded request but is not the job master (the master is "
                    + "changing?); try again");
            return;
        }
        String master = service.masterUrl();
        if (master == null) {
            Reply.error(ctx, 503, "no master yet");
            return;
        }
        boolean withBody = in.method() != HttpMethod.GET && in.method() != HttpMethod.HEAD;
        if (withBody) {
            in.pause(); // before any byte is lost: the client request resumes it as it sends
        }
        RequestOptions options = new RequestOptions().setMethod(in.method())
                .setAbsoluteURI(stripSlash(master) + in.uri()).setIdleTimeout(IDLE_TIMEOUT_MILLIS)
                .putHeader(HEADER, "1");
        for (String name : COPIED) {
            String value = in.getHeader(name);
            if (value != null) {
                options.putHeader(name, value);
            }
        }
        client.request(options)
                .compose(out -> withBody ? out.send(in) : out.send())
                .compose(response -> response.body().map(body -> relay(ctx, response, body)))
                .onFailure(e -> {
                    LOG.warn("forwarding {} {} to the master at {} failed: {}", in.method(), in.path(), master,
                            e.toString());
                    in.resume(); // drop what is left of the body; the connection's next request comes after it
                    Reply.error(ctx, 502, "the job master at " + master + " did not answer: " + e.getMessage());
                });
    }

    private static Void relay(RoutingContext ctx, HttpClientResponse response, Buffer body) {
        if (ctx.response().headWritten()) {
            return null;
        }
        for (String name : RELAYED) {
            String value = response.getHeader(name);
            if (value != null) {
                ctx.response().putHeader(name, value);
            }
        }
        ctx.response().setStatusCode(response.statusCode()).end(body);
        return null;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
