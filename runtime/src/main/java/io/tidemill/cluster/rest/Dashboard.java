package io.tidemill.cluster.rest;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * The web dashboard: three static files shipped in the jar ({@code io/tidemill/dashboard/}), served at
 * {@code /}, {@code /dashboard.js} and {@code /dashboard.css}. The page polls the REST API every second
 * ({@code /overview}, {@code /members}, {@code /jobs}, {@code /jobs/{id}}, {@code /jobs/{id}/checkpoints})
 * and posts savepoint, stop and cancel to it; it needs no build step and loads nothing from elsewhere
 * (the {@code Content-Security-Policy} says so to the browser).
 */
final class Dashboard {
    /** The paths served, each a file of the dashboard. */
    static final List<String> FILES = List.of("/", "/dashboard.js", "/dashboard.css");

    private record Asset(String contentType, byte[] body) {}

    private static final Map<String, Asset> ASSETS = Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/dashboard.js", load("dashboard.js", "text/javascript; charset=utf-8"),
            "/dashboard.css", load("dashboard.css", "text/css; charset=utf-8"));

    private Dashboard() {}

    static void serve(RoutingContext ctx, String path) {
        Asset a = ASSETS.get(path);
        ctx.response().setStatusCode(200).putHeader("Content-Type", a.contentType())
                .putHeader("Cache-Control", "no-cache")
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
                .end(Buffer.buffer(a.body()));
    }

    private static Asset load(String name, String contentType) {
        String resource = "/io/tidemill/dashboard/" + name;
        try (InputStream in = Dashboard.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard file " + resource + " is missing from the jar");
            }
            return new Asset(contentType, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the dashboard file " + resource, e);
        }
    }
}
