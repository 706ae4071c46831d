package io.tidemill.cluster.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/** How the REST API answers: every body is JSON, every error is {@code {"error": "..."}}. */
final class Reply {
    /** Default typing stays off: bodies are plain records and maps, never polymorphic Java objects. */
    static final ObjectMapper JSON = new ObjectMapper();

    private Reply() {}

    static void json(RoutingContext ctx, int status, Object body) {
        byte[] bytes;
        try {
            bytes = JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            error(ctx, 500, "cannot write the response as JSON: " + e.getOriginalMessage());
            return;
        }
        send(ctx, status, bytes);
    }

    static void error(RoutingContext ctx, int status, String message) {
        try {
            send(ctx, status, JSON.writeValueAsBytes(Map.of("error", message == null ? "" : message)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of one string did not serialize", e);
        }
    }

    private static void send(RoutingContext ctx, int status, byte[] bytes) {
        if (ctx.response().headWritten()) {
            return; // answered already (a client that went away, a failure after the reply)
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
                .end(Buffer.buffer(bytes));
    }
}
