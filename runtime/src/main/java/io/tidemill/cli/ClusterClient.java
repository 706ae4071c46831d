package io.tidemill.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

/**
 * The CLI's side of the REST API: JSON requests to one node (any node: it forwards job requests to
 * the master), answers as JSON trees, and every failure as a {@link ClusterRequestException} whose
 * message is {@code <status> <error>} or says why the node could not be reached.
 */
final class ClusterClient {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Duration UPLOAD_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofMillis(250);

    private final String base;
    private final String token;
    private final HttpClient http;

    /**
     * @param base the node's REST URL, {@code http://host:port}
     * @param token the API token sent with every request, or null
     */
    ClusterClient(String base, String token) {
        this.base = base;
        this.token = token == null || token.isEmpty() ? null : token;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    String base() {
        return base;
    }

    JsonNode get(String path) {
        return send(request(path, TIMEOUT).GET());
    }

    /** POSTs {@code body} as JSON (null: no body). */
    JsonNode post(String path, Object body) {
        HttpRequest.BodyPublisher publisher;
        try {
            publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write the request as JSON", e);
        }
        return send(request(path, TIMEOUT).header("Content-Type", "application/json").POST(publisher));
    }

    /** Uploads a job jar; returns its id. */
    String uploadJar(String fileName, byte[] jar) {
        JsonNode answer = send(request("/jars?name=" + URLEncoder.encode(fileName, StandardCharsets.UTF_8),
                UPLOAD_TIMEOUT).header("Content-Type", "application/java-archive")
                .POST(HttpRequest.BodyPublishers.ofByteArray(jar)));
        return answer.path("jarId").asText();
    }

    /**
     * Polls a savepoint until it completed and returns its location; a failed savepoint, or one not
     * done within {@code timeout}, is a {@link ClusterRequestException}.
     */
    String awaitSavepoint(String jobId, String triggerId, Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        String path = "/jobs/" + segment(jobId) + "/savepoints/" + segment(triggerId);
        while (true) {
            JsonNode status = get(path);
            switch (status.path("status").asText()) {
                case "COMPLETED":
                    return status.path("location").asText();
                case "FAILED":
                    throw new ClusterRequestException("savepoint " + triggerId + " of job " + jobId + " failed: "
                            + status.path("failure").asText("no cause given"));
                default:
                    if (Instant.now().isAfter(deadline)) {
                        throw new ClusterRequestException("savepoint " + triggerId + " of job " + jobId
                                + " still in progress after " + timeout.toSeconds() + " s (see tidemill status "
                                + jobId + ")");
                    }
                    Thread.sleep(POLL.toMillis());
            }
        }
    }

    /** A path segment from a user's argument (a job id with a slash must not choose another endpoint). */
    static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String path, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private JsonNode send(HttpRequest.Builder builder) {
        HttpRequest request = builder.build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (ConnectException e) {
            throw new ClusterRequestException("cannot connect to the cluster at " + base + " (connection refused); "
                    + "is a node running there? (set --cluster or TIDEMILL_CLUSTER)");
        } catch (HttpConnectTimeoutException e) {
            throw new ClusterRequestException("cannot connect to the cluster at " + base + " (timed out)");
        } catch (HttpTimeoutException e) {
            throw new ClusterRequestException("no answer from the cluster at " + base + " within "
                    + request.timeout().orElse(TIMEOUT).toSeconds() + " s");
        } catch (IOException e) {
            throw new ClusterRequestException("cannot talk to the cluster at " + base + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClusterRequestException("interrupted while waiting for the cluster at " + base);
        }
        JsonNode body = parse(response.body());
        if (response.statusCode() >= 400) {
            String error = body != null && body.hasNonNull("error") ? body.get("error").asText()
                    : abbreviate(response.body());
            throw new ClusterRequestException(response.statusCode() + " " + error);
        }
        if (body == null) {
            throw new ClusterRequestException(response.statusCode() + " unexpected answer from " + base
                    + request.uri().getRawPath() + " (not JSON): " + abbreviate(response.body()));
        }
        return body;
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? null : JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        String t = text == null ? "" : text.strip();
        return t.length() > 200 ? t.substring(0, 200) + "..." : t;
    }
}
