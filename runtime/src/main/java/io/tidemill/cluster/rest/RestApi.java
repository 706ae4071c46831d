package io.tidemill.cluster.rest;

import io.tidemill.cluster.api.ApiException;
import io.tidemill.cluster.api.ClusterService;
import io.tidemill.metrics.PrometheusMetrics;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.FileUpload;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's REST API, modelled on Flink's: cluster overview and members, jobs (submit, list, details,
 * cancel, savepoints, stop, rescale, checkpoint statistics), job jars, and the health and readiness
 * probes.
 *
 * <pre>{@code
 * RestApi api = RestApi.start(vertx, "127.0.0.1", 8081, clusterService, System.getenv("TIDEMILL_API_TOKEN"));
 * ...
 * api.close();
 * }</pre>
 *
 * <p>{@code GET /} is the web dashboard ({@link Dashboard}), which reads the endpoints below.
 * An embedded run serves the same API over its own jobs ({@link #standalone} with a
 * {@link io.tidemill.local.LocalClusterService}).
 *
 * <p>Requests about jobs are answered by the job master: on any other node {@link MasterForwarding}
 * relays them. {@code /overview}, {@code /members}, {@code /exchange} (this node's data connections),
 * {@code /metrics} (this node's metrics in Prometheus text format),
 * {@code /health} and {@code /ready} are answered by the node asked. {@link ClusterService} calls run on worker threads, never on the event loop,
 * except {@link ClusterService#isMaster()} and {@link ClusterService#masterUrl()}, which must not
 * block. Every answer but the metrics and the dashboard's files is JSON; every error is
 * {@code {"error": "..."}} with the status of {@link ApiException#status()} (or 400 for a bad body,
 * 404 for an unknown path, 405 with an {@code Allow} header for a wrong method, 413 for a body over
 * the limit, 500 for anything else).
 * With an API token, POST, PATCH and DELETE need {@code Authorization: Bearer <token>}; GETs stay open.
 */
public final class RestApi implements AutoCloseable {
    /** Limit of a JSON request body. */
    public static final long JSON_BODY_LIMIT = 1L << 20;
    /** Limit of an uploaded job jar. */
    public static final long JAR_BODY_LIMIT = 256L << 20;
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final byte[] ZIP_MAGIC = {'P', 'K', 3, 4};

    private enum Scope { LOCAL, MASTER }

    private record Shape(Pattern path, HttpMethod method) {}

    private final Vertx vertx;
    /** True if {@link #standalone} made {@link #vertx} for this API alone: closing closes it. */
    private final boolean ownsVertx;
    private final ClusterService service;
    private final Handler<RoutingContext> token;
    private final HttpClient client;
    private final MasterForwarding forwarding;
    private final Path uploads;
    private final Router router;
    /** Each route's path and method, for the {@code Allow} header of a 405. */
    private final List<Shape> shapes = new ArrayList<>();
    private volatile HttpServer server;

    private RestApi(Vertx vertx, boolean ownsVertx, ClusterService service, String apiToken) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.service = service;
        this.token = apiToken == null || apiToken.isEmpty() ? null : new BearerToken(apiToken);
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(5_000));
        this.forwarding = new MasterForwarding(service, client);
        try {
            this.uploads = Files.createTempDirectory("tidemill-jar-uploads");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory for jar uploads", e);
        }
        this.router = Router.router(vertx);
        routes();
    }

    /** Starts the API on {@code host:port} (port 0: any free one) and returns once it is bound. */
    public static RestApi start(Vertx vertx, String host, int port, ClusterService service, String apiToken) {
        return await(listen(vertx, host, port, service, apiToken), host, port);
    }

    private static RestApi await(Future<RestApi> listening, String host, int port) {
        try {
            return listening.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the REST API on " + host + ":" + port, e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("cannot start the REST API on " + host + ":" + port + ": "
                    + cause.getMessage(), cause);
        }
    }

    /**
     * As {@link #start}, on a Vert.x instance of the API's own that {@link #close} closes: for a
     * process that runs no other Vert.x code, as an embedded run.
     */
    public static RestApi standalone(String host, int port, ClusterService service, String apiToken) {
        Vertx vertx = Vertx.vertx();
        RestApi api;
        try {
            api = new RestApi(vertx, true, service, apiToken);
        } catch (RuntimeException e) {
            vertx.close();
            throw e;
        }
        try {
            return await(api.listen(host, port), host, port);
        } catch (RuntimeException e) {
            api.close(); // here, not on the event loop of the Vert.x instance it closes
            throw e;
        }
    }

    /** As {@link #start}, for callers on an event loop. */
    public static Future<RestApi> listen(Vertx vertx, String host, int port, ClusterService service,
                                         String apiToken) {
        return new RestApi(vertx, false, service, apiToken).listen(host, port);
    }

    private Future<RestApi> listen(String host, int port) {
        return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
                .requestHandler(router).listen()
                .map(s -> {
                    server = s;
                    return this;
                })
                .onFailure(e -> {
                    if (!ownsVertx) {
                        close();
                    }
                });
    }

    /** The bound port. */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        Future<Void> closed = server == null ? client.close() : Future.join(server.close(), client.close())
                .mapEmpty();
        if (ownsVertx) {
            closed = closed.eventually(vertx::close);
        }
        try {
            closed.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("closing the REST API: {}", e.toString());
        }
        try (Stream<Path> files = Files.walk(uploads)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warn("cannot delete the jar upload directory {}: {}", uploads, e.toString());
        }
    }

    private void routes() {
        endpoint(HttpMethod.GET, "/health", Scope.LOCAL, ctx -> Reply.json(ctx, 200, Map.of("status", "UP")));
        endpoint(HttpMethod.GET, "/ready", Scope.LOCAL, this::ready);
        endpoint(HttpMethod.GET, "/overview", Scope.LOCAL, ctx -> answer(ctx, 200, service::overview));
        endpoint(HttpMethod.GET, "/members", Scope.LOCAL,
                ctx -> answer(ctx, 200, () -> Map.of("members", service.members())));
        endpoint(HttpMethod.GET, "/exchange", Scope.LOCAL, ctx -> answer(ctx, 200, service::exchange));
        endpoint(HttpMethod.GET, "/metrics", Scope.LOCAL, this::metrics);
        for (String file : Dashboard.FILES) {
            endpoint(HttpMethod.GET, file, Scope.LOCAL, ctx -> Dashboard.serve(ctx, file));
        }

        endpoint(HttpMethod.GET, "/jobs", Scope.MASTER,
                ctx -> answer(ctx, 200, () -> Map.of("jobs", service.jobs())));
        endpoint(HttpMethod.POST, "/jobs", Scope.MASTER, ctx -> answer(ctx, 202,
                () -> Map.of("jobId", service.submit(RequestBodies.submitRequest(body(ctx))))));
        endpoint(HttpMethod.GET, "/jobs/:id", Scope.MASTER, ctx -> answer(ctx, 200, () -> service.job(id(ctx))
                .orElseThrow(() -> ApiException.notFound("no job '" + id(ctx) + "'"))));
        endpoint(HttpMethod.PATCH, "/jobs/:id", Scope.MASTER, ctx -> answer(ctx, 202, () -> {
            String mode = ctx.request().getParam("mode");
            if (!"cancel".equals(mode)) {
                throw ApiException.badRequest(mode == null
                        ? "missing query parameter 'mode' (PATCH /jobs/{id}?mode=cancel)"
                        : "query parameter 'mode' must be 'cancel', got '" + mode + "'");
            }
            return cancel(ctx);
        }));
        endpoint(HttpMethod.POST, "/jobs/:id/cancel", Scope.MASTER, ctx -> answer(ctx, 202, () -> cancel(ctx)));
        endpoint(HttpMethod.POST, "/jobs/:id/savepoints", Scope.MASTER, ctx -> answer(ctx, 202,
                () -> requestId(service.triggerSavepoint(id(ctx), RequestBodies.targetDirectory(body(ctx))))));
        endpoint(HttpMethod.GET, "/jobs/:id/savepoints/:triggerId", Scope.MASTER, ctx -> answer(ctx, 200, () -> {
            String trigger = ctx.pathParam("triggerId");
            return service.savepoint(id(ctx), trigger).orElseThrow(() -> ApiException.notFound(
                    "no savepoint '" + trigger + "' of job '" + id(ctx) + "'"));
        }));
        endpoint(HttpMethod.POST, "/jobs/:id/stop", Scope.MASTER, ctx -> answer(ctx, 202, () -> {
            return requestId(service.stop(id(ctx), RequestBodies.targetDirectory(body(ctx))));
        }));
        endpoint(HttpMethod.POST, "/jobs/:id/rescale", Scope.MASTER, ctx -> answer(ctx, 202,
                () -> requestId(service.rescale(id(ctx),
                        RequestBodies.parallelism(body(ctx), ctx.request().getParam("parallelism"))))));
        endpoint(HttpMethod.GET, "/jobs/:id/checkpoints", Scope.MASTER,
                ctx -> answer(ctx, 200, () -> service.checkpoints(id(ctx))));
        endpoint(HttpMethod.POST, "/jars", Scope.MASTER, this::uploadJar);

        router.route().failureHandler(this::onFailure);
        router.errorHandler(404, ctx -> Reply.error(ctx, 404, "no such endpoint: " + ctx.request().method() + " "
                + ctx.request().path()));
        router.errorHandler(405, this::methodNotAllowed);
    }

    /**
     * Registers one endpoint as two routes on the same method and path: first the token check for
     * mutating methods and forwarding to the master for {@link Scope#MASTER} (both before the body
     * is read: Vert.x runs body handlers before user handlers within a route), then a body handler
     * with its limit for methods with a body, and the handler.
     */
    private void endpoint(HttpMethod method, String path, Scope scope, Handler<RoutingContext> handler) {
        shapes.add(new Shape(Pattern.compile(path.replaceAll(":[A-Za-z]+", "[^/]+") + "/?"), method));
        boolean mutating = method != HttpMethod.GET && method != HttpMethod.HEAD;
        if (mutating && token != null) {
            router.route(method, path).handler(token);
        }
        if (scope == Scope.MASTER) {
            router.route(method, path).handler(forwarding);
        }
        Route route = router.route(method, path);
        if (mutating) {
            route.handler(path.equals("/jars")
                    ? BodyHandler.create(uploads.toString()).setBodyLimit(JAR_BODY_LIMIT)
                    .setDeleteUploadedFilesOnEnd(true).setMergeFormAttributes(false)
                    : BodyHandler.create(false).setBodyLimit(JSON_BODY_LIMIT));
        }
        route.handler(handler);
    }

    /** Runs {@code call} on a worker thread and answers with its result as JSON, or fails the request. */
    private void answer(RoutingContext ctx, int status, Callable<Object> call) {
        vertx.executeBlocking(call, false).onComplete(ar -> {
            if (ar.succeeded()) {
                Reply.json(ctx, status, ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    /** This node's metrics, in Prometheus text format (not JSON). */
    private void metrics(RoutingContext ctx) {
        vertx.executeBlocking(service::metrics, false).onComplete(ar -> {
            if (ar.succeeded()) {
                ctx.response().setStatusCode(200).putHeader("Content-Type", PrometheusMetrics.CONTENT_TYPE)
                        .end(ar.result());
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private void ready(RoutingContext ctx) {
        vertx.executeBlocking(service::ready, false).onComplete(ar -> {
            if (ar.succeeded() && ar.result()) {
                Reply.json(ctx, 200, Map.of("status", "READY"));
            } else if (ar.succeeded()) {
                Reply.error(ctx, 503, "not ready: this node has not joined its cluster yet");
            } else {
                ctx.fail(ar.cause());
            }
        });
    }

    private Object cancel(RoutingContext ctx) throws ApiException {
        RequestBodies.empty(body(ctx));
        service.cancel(id(ctx));
        return Map.of("jobId", id(ctx));
    }

    private static Map<String, String> requestId(String triggerId) {
        return Map.of("request-id", triggerId);
    }

    /** {@code POST /jars}: the jar as the raw body ({@code ?name=app.jar}) or as one multipart file. */
    private void uploadJar(RoutingContext ctx) {
        answer(ctx, 200, () -> {
            List<FileUpload> files = ctx.fileUploads();
            String name;
            byte[] jar;
            if (files.size() > 1) {
                throw ApiException.badRequest("upload one jar per request, got " + files.size() + " files");
            } else if (files.size() == 1) {
                name = files.get(0).fileName();
                jar = Files.readAllBytes(Path.of(files.get(0).uploadedFileName()));
            } else if (isMultipart(ctx)) {
                throw ApiException.badRequest("multipart upload without a file: send the jar as a file part");
            } else {
                name = ctx.request().getParam("name");
                jar = body(ctx).getBytes();
            }
            if (jar.length == 0) {
                throw ApiException.badRequest("empty jar: send the jar's bytes as the body or as a multipart file");
            }
            if (jar.length < ZIP_MAGIC.length || jar[0] != ZIP_MAGIC[0] || jar[1] != ZIP_MAGIC[1]
                    || jar[2] != ZIP_MAGIC[2] || jar[3] != ZIP_MAGIC[3]) {
                throw ApiException.badRequest("not a jar: the body does not start as a zip file does");
            }
            return Map.of("jarId", service.uploadJar(fileName(name), jar));
        });
    }

    private static boolean isMultipart(RoutingContext ctx) {
        String type = ctx.request().getHeader("Content-Type");
        return type != null && type.toLowerCase().startsWith("multipart/");
    }

    /** The last segment of a client's file name: a name never chooses a directory. */
    private static String fileName(String name) {
        if (name == null || name.isBlank()) {
            return "job.jar";
        }
        String last = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1).trim();
        return last.isEmpty() || last.equals("..") ? "job.jar" : last;
    }

    private static String id(RoutingContext ctx) {
        return ctx.pathParam("id");
    }

    private static Buffer body(RoutingContext ctx) {
        Buffer b = ctx.body().buffer();
        return b == null ? Buffer.buffer() : b;
    }

    private void methodNotAllowed(RoutingContext ctx) {
        String path = ctx.request().path();
        Set<String> allowed = new LinkedHashSet<>();
        for (Shape s : shapes) {
            if (s.path().matcher(path).matches()) {
                allowed.add(s.method().name());
            }
        }
        ctx.response().putHeader("Allow", String.join(", ", allowed));
        Reply.error(ctx, 405, "method " + ctx.request().method() + " not allowed on " + path + "; allowed: "
                + String.join(", ", allowed));
    }

    private void onFailure(RoutingContext ctx) {
        Throwable failure = ctx.failure();
        int status = ctx.statusCode();
        if (failure instanceof ApiException e) {
            Reply.error(ctx, e.status(), e.getMessage());
        } else if (status == 413) {
            Reply.error(ctx, 413, "request body too large: the limit is " + (ctx.request().path().startsWith("/jars")
                    ? JAR_BODY_LIMIT + " bytes for a jar" : JSON_BODY_LIMIT + " bytes for JSON"));
        } else if (failure == null && status >= 400 && status < 500) {
            Reply.error(ctx, status, "bad request to " + ctx.request().method() + " " + ctx.request().path());
        } else {
            String message = failure == null ? "internal error"
                    : failure.getMessage() != null ? failure.getMessage() : failure.getClass().getSimpleName();
            LOG.warn("{} {} failed: {}", ctx.request().method(), ctx.request().path(),
                    failure == null ? "status " + status : failure.toString());
            if (failure != null) {
                LOG.debug("stack of the failure of {} {}", ctx.request().method(), ctx.request().path(), failure);
            }
            Reply.error(ctx, 500, message);
        }
    }
}
