package io.tidemill.cluster.rest;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Guards the mutating endpoints with {@code Authorization: Bearer <token>}. The comparison is
 * constant-time ({@link MessageDigest#isEqual}), so the answer's timing tells nothing about how much
 * of a guess was right.
 */
final class BearerToken implements Handler<RoutingContext> {
    private static final String PREFIX = "Bearer ";
    private final byte[] token;

    BearerToken(String token) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String header = ctx.request().getHeader("Authorization");
        if (header == null) {
            refuse(ctx, "missing Authorization header: this endpoint needs 'Authorization: Bearer <token>'");
        } else if (!header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            refuse(ctx, "Authorization header is not a bearer token: expected 'Bearer <token>'");
        } else if (!MessageDigest.isEqual(token,
                header.substring(PREFIX.length()).trim().getBytes(StandardCharsets.UTF_8))) {
            refuse(ctx, "wrong API token");
        } else {
            ctx.next();
        }
    }

    private static void refuse(RoutingContext ctx, String message) {
        ctx.response().putHeader("WWW-Authenticate", "Bearer");
        Reply.error(ctx, 401, message);
    }
}
