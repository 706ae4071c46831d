package io.tidemill.examples.cli;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.cli.Tidemill;
import io.tidemill.cluster.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@code tidemill nexmark ... --http-port} run in this JVM, for tests of what it serves: started on a
 * free port, its job found through {@code GET /jobs}. Closing cancels the job if the run is still going
 * (a test that failed half-way) and waits for the run to end.
 */
final class EmbeddedRun implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CompletableFuture<Integer> run;
    private final int port;
    private final String base;
    private final String jobId;

    private EmbeddedRun(CompletableFuture<Integer> run, int port, String jobId) {
        this.run = run;
        this.port = port;
        this.base = "http://127.0.0.1:" + port;
        this.jobId = jobId;
    }

    /** Runs {@code tidemill nexmark ARGS --http-port PORT} and returns once its job is listed. */
    static EmbeddedRun start(List<String> args) {
        int port = FreePorts.pick();
        List<String> command = new ArrayList<>(List.of("nexmark"));
        command.addAll(args);
        command.addAll(List.of("--http-port", String.valueOf(port)));
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Tidemill.run(command));
        String base = "http://127.0.0.1:" + port;
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String jobId = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .failFast("the run ended before its job was listed", run::isDone)
                .until(() -> JSON.readTree(client.send(HttpRequest.newBuilder(URI.create(base + "/jobs")).build(),
                        HttpResponse.BodyHandlers.ofString()).body()).path("jobs").path(0).path("id").asText(),
                        id -> !id.isEmpty());
        return new EmbeddedRun(run, port, jobId);
    }

    int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT}, no slash at the end. */
    String base() {
        return base;
    }

    String jobId() {
        return jobId;
    }

    /** Waits for the run to end and returns its exit code. */
    int exitCode() throws Exception {
        return run.get(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        if (run.isDone()) {
            return;
        }
        try {
            http.send(HttpRequest.newBuilder(URI.create(base + "/jobs/" + jobId + "/cancel"))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
        } catch (IOException ended) {
            // it ended meanwhile, and its server with it
        }
        run.get(60, TimeUnit.SECONDS);
    }
}
