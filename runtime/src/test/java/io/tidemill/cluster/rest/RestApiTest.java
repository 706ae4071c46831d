package io.tidemill.cluster.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tidemill.cluster.api.SubmitRequest;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The REST API's HTTP contract against an in-memory cluster service: status codes, JSON shapes,
 * errors, the API token, and forwarding from a node that is not the master.
 */
@Timeout(10)
class RestApiTest {
    static final String TOKEN = "s3cret-token";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();

    static Vertx vertx;
    static InMemoryClusterService masterService = new InMemoryClusterService("master");
    static InMemoryClusterService followerService = new InMemoryClusterService("follower");
    static InMemoryClusterService guardedService = new InMemoryClusterService("guarded");
    static InMemoryClusterService guardedFollowerService = new InMemoryClusterService("guarded-follower");
    static InMemoryClusterService orphanService = new InMemoryClusterService("orphan");
    static RestApi master;
    static RestApi follower;
    static RestApi guarded;
    static RestApi guardedFollower;
    static RestApi orphan;

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
        master = RestApi.start(vertx, "127.0.0.1", 0, masterService, null);
        followerService.master = false;
        followerService.masterUrl = url(master);
        follower = RestApi.start(vertx, "127.0.0.1", 0, followerService, null);
        guarded = RestApi.start(vertx, "127.0.0.1", 0, guardedService, TOKEN);
        guardedFollowerService.master = false;
        guardedFollowerService.masterUrl = url(guarded);
        guardedFollower = RestApi.start(vertx, "127.0.0.1", 0, guardedFollowerService, TOKEN);
        orphanService.master = false;
        orphan = RestApi.start(vertx, "127.0.0.1", 0, orphanService, null);
    }

    @AfterAll
    static void stop() throws Exception {
        for (RestApi api : new RestApi[] {master, follower, guarded, guardedFollower, orphan}) {
            if (api != null) {
                api.close();
            }
        }
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    static String url(RestApi api) {
        return "http://127.0.0.1:" + api.port();
    }

    // --- helpers -------------------------------------------------------------------------------

    record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        String error() {
            return body.path("error").asText();
        }
    }

    static Answer call(RestApi api, String method, String path, String body, String... headers) throws Exception {
        return send(api, method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body), headers);
    }

    static Answer send(RestApi api, String method, String path, HttpRequest.BodyPublisher body, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url(api) + path)).timeout(Duration.ofSeconds(5))
                .method(method, body);
        if (headers.length > 0) {
            b.headers(headers);
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""),
                method + " " + path + " answered " + r.statusCode() + " " + r.body());
        return new Answer(r.statusCode(), JSON.readTree(r.body()), r);
    }

    static Answer get(RestApi api, String path) throws Exception {
        return call(api, "GET", path, null);
    }

    static Answer post(RestApi api, String path, String body) throws Exception {
        return call(api, "POST", path, body);
    }

    static String submitBody(String className) {
        return "{\"className\":\"" + className + "\",\"args\":[\"--query\",\"q5\"],\"parallelism\":2}";
    }

    static String submit(RestApi api) throws Exception {
        Answer a = post(api, "/jobs", submitBody("io.tidemill.examples.WordCount"));
        assertEquals(202, a.status(), a.body().toString());
        return a.body().get("jobId").asText();
    }

    static byte[] jar() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        }
        return bytes.toByteArray();
    }

    // --- probes and the cluster ----------------------------------------------------------------

    @Test
    void health_isUp() throws Exception {
        Answer a = get(master, "/health");
        assertEquals(200, a.status());
        assertEquals(Map.of("status", "UP"), JSON.convertValue(a.body(), Map.class));
    }

    @Test
    void ready_is200WhenTheServiceIsReady_and503Before() throws Exception {
        assertEquals(200, get(orphan, "/ready").status());
        orphanService.ready = false;
        try {
            Answer a = get(orphan, "/ready");
            assertEquals(503, a.status());
            assertTrue(a.error().contains("not ready"), a.error());
        } finally {
            orphanService.ready = true;
        }
    }

    @Test
    void overview_isAnsweredByTheNodeAsked() throws Exception {
        Answer a = get(follower, "/overview");
        assertEquals(200, a.status());
        assertEquals("follower", a.body().get("master").asText());
        for (String field : List.of("clusterName", "members", "master", "jobsRunning", "jobsFinished", "jobsFailed",
                "jobsCancelled", "version")) {
            assertTrue(a.body().has(field), field + " in " + a.body());
        }
    }

    @Test
    void members_listsEveryMember() throws Exception {
        Answer a = get(orphan, "/members");
        assertEquals(200, a.status());
        JsonNode members = a.body().get("members");
        assertEquals(2, members.size());
        assertEquals("m-1", members.get(0).get("id").asText());
        for (String field : List.of("id", "host", "hazelcastPort", "dataPort", "httpPort", "master", "local")) {
            assertTrue(members.get(0).has(field), field + " in " + members.get(0));
        }
    }

    @Test
    void exchange_isAnsweredByTheNodeAsked_withItsConnectionsAndTheirCounters() throws Exception {
        Answer a = get(follower, "/exchange");
        assertEquals(200, a.status());
        assertEquals("follower", a.body().get("member").asText());
        JsonNode connections = a.body().get("connections");
        assertEquals(1, connections.size());
        JsonNode c = connections.get(0);
        assertEquals("10.0.0.2:6701", c.get("peer").asText());
        assertEquals(1_000, c.get("recordsSent").asLong());
        assertEquals(64_000, c.get("bytesSent").asLong());
        assertEquals(500, c.get("recordsReceived").asLong());
        assertEquals(32_000, c.get("bytesReceived").asLong());
    }

    // --- jobs ----------------------------------------------------------------------------------

    @Test
    void submit_answers202WithTheJobId_andTheServiceGetsEveryField() throws Exception {
        Answer a = post(master, "/jobs", "{\"className\":\"io.tidemill.examples.Q5\",\"args\":[\"--input\",\"x\"],"
                + "\"parallelism\":3,\"jarId\":\"jar-1\",\"checkpointIntervalMillis\":1000,"
                + "\"checkpointMode\":\"unaligned\",\"restartAttempts\":5,\"restartDelayMillis\":250,"
                + "\"savepoint\":\"/sp/savepoint-1\"}");
        assertEquals(202, a.status());
        assertEquals(1, a.body().size(), a.body().toString());
        assertTrue(a.body().get("jobId").asText().startsWith("master-job-"));
        SubmitRequest got = masterService.submitted.get(masterService.submitted.size() - 1);
        assertEquals(new SubmitRequest("io.tidemill.examples.Q5", List.of("--input", "x"), 3, "jar-1", 1000,
                "unaligned", 5, 250L, "/sp/savepoint-1"), got);
    }

    @Test
    void jobs_listsSubmittedJobs() throws Exception {
        String id = submit(master);
        Answer a = get(master, "/jobs");
        assertEquals(200, a.status());
        JsonNode job = null;
        for (JsonNode j : a.body().get("jobs")) {
            if (j.get("id").asText().equals(id)) {
                job = j;
            }
        }
        assertTrue(job != null, id + " in " + a.body());
        assertEquals("RUNNING", job.get("status").asText());
        assertEquals(2, job.get("parallelism").asInt());
        for (String field : List.of("id", "name", "status", "startTime", "parallelism", "restarts")) {
            assertTrue(job.has(field), field + " in " + job);
        }
    }

    @Test
    void jobDetails_showTheJobAndItsVertices() throws Exception {
        String id = submit(master);
        Answer a = get(master, "/jobs/" + id);
        assertEquals(200, a.status());
        assertEquals(id, a.body().get("id").asText());
        assertEquals(List.of("--query", "q5"), JSON.convertValue(a.body().get("args"), List.class));
        JsonNode vertex = a.body().get("vertices").get(1);
        assertEquals("window -> sink", vertex.get("name").asText());
        assertEquals(List.of("m-2", "m-1"), JSON.convertValue(vertex.get("placement"), List.class));
        for (String field : List.of("index", "name", "parallelism", "placement", "recordsIn", "recordsOut",
                "watermark", "busySeconds", "backpressuredSeconds")) {
            assertTrue(vertex.has(field), field + " in " + vertex);
        }
        JsonNode edge = a.body().get("edges").get(0);
        assertEquals(0, edge.get("from").asInt());
        assertEquals(1, edge.get("to").asInt());
        assertEquals("keyed", edge.get("partitioning").asText());
        assertEquals(List.of("savepoint", "stop", "cancel"), JSON.convertValue(a.body().get("actions"), List.class));
        assertEquals(-1, a.body().get("endTime").asLong(), "no end time while running");
    }

    @Test
    void jobDetails_ofACancelledJob_offerNoActions() throws Exception {
        String id = submit(master);
        assertEquals(202, post(master, "/jobs/" + id + "/cancel", null).status());
        JsonNode cancelled = get(master, "/jobs/" + id).body();
        assertEquals(List.of(), JSON.convertValue(cancelled.get("actions"), List.class));
        assertTrue(cancelled.get("endTime").asLong() >= cancelled.get("startTime").asLong(), cancelled::toString);
    }

    @Test
    void dashboard_isServedAtTheRootOfEveryNode_asSelfContainedFiles() throws Exception {
        for (String[] file : new String[][] {{"/", "text/html"}, {"/dashboard.js", "text/javascript"},
                {"/dashboard.css", "text/css"}}) {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url(follower) + file[0]))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), file[0]);
            assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith(file[1] + "; charset=utf-8"),
                    file[0] + ": " + r.headers().map());
            assertEquals("default-src 'self'; img-src 'self' data:",
                    r.headers().firstValue("Content-Security-Policy").orElse(""), file[0]);
            String links = r.body().replace("'http://www.w3.org/2000/svg'", ""); // a namespace, not a link
            assertFalse(links.contains("http://") || links.contains("https://"), file[0] + " loads nothing from elsewhere");
        }
        assertTrue(HTTP.send(HttpRequest.newBuilder(URI.create(url(master) + "/")).build(),
                HttpResponse.BodyHandlers.ofString()).body().contains("<script src=\"dashboard.js\""));
        Answer wrongMethod = post(master, "/dashboard.js", "{}");
        assertEquals(405, wrongMethod.status());
        assertEquals("GET", wrongMethod.raw().headers().firstValue("Allow").orElse(""));
    }

    @Test
    void jobDetails_ofAnUnknownJob_is404() throws Exception {
        Answer a = get(master, "/jobs/nope");
        assertEquals(404, a.status());
        assertEquals("no job 'nope'", a.error());
    }

    @Test
    void cancel_byPatchWithModeCancel_is202() throws Exception {
        String id = submit(master);
        Answer a = call(master, "PATCH", "/jobs/" + id + "?mode=cancel", null);
        assertEquals(202, a.status());
        assertEquals(id, a.body().get("jobId").asText());
        assertEquals("CANCELLED", get(master, "/jobs/" + id).body().get("status").asText());
    }

    @Test
    void cancel_byPost_is202() throws Exception {
        String id = submit(master);
        assertEquals(202, post(master, "/jobs/" + id + "/cancel", null).status());
        assertEquals("CANCELLED", get(master, "/jobs/" + id).body().get("status").asText());
    }

    @Test
    void cancel_ofAnUnknownJob_is404() throws Exception {
        Answer a = post(master, "/jobs/nope/cancel", null);
        assertEquals(404, a.status());
        assertEquals("no job 'nope'", a.error());
    }

    @Test
    void patch_withoutModeCancel_is400NamingTheParameter() throws Exception {
        String id = submit(master);
        Answer a = call(master, "PATCH", "/jobs/" + id + "?mode=pause", null);
        assertEquals(400, a.status());
        assertEquals("query parameter 'mode' must be 'cancel', got 'pause'", a.error());
    }

    @Test
    void savepoint_triggered_thenInProgress_thenCompletedAtItsLocation() throws Exception {
        String id = submit(master);
        Answer a = post(master, "/jobs/" + id + "/savepoints", "{\"target-directory\":\"/tmp/sp\"}");
        assertEquals(202, a.status());
        String trigger = a.body().get("request-id").asText();
        Answer first = get(master, "/jobs/" + id + "/savepoints/" + trigger);
        assertEquals(200, first.status());
        assertEquals("IN_PROGRESS", first.body().get("status").asText());
        assertEquals(trigger, first.body().get("triggerId").asText());
        Answer done = get(master, "/jobs/" + id + "/savepoints/" + trigger);
        assertEquals("COMPLETED", done.body().get("status").asText());
        assertEquals("/tmp/sp/savepoint-" + trigger, done.body().get("location").asText());
        assertTrue(done.body().has("failure"));
    }

    @Test
    void savepoint_withoutBody_usesTheJobsStore() throws Exception {
        String id = submit(master);
        Answer a = post(master, "/jobs/" + id + "/savepoints", null);
        assertEquals(202, a.status());
        String trigger = a.body().get("request-id").asText();
        get(master, "/jobs/" + id + "/savepoints/" + trigger);
        assertEquals("/store/savepoint-" + trigger,
                get(master, "/jobs/" + id + "/savepoints/" + trigger).body().get("location").asText());
    }

    @Test
    void savepoint_unknownTrigger_is404() throws Exception {
        String id = submit(master);
        Answer a = get(master, "/jobs/" + id + "/savepoints/sp-0");
        assertEquals(404, a.status());
        assertEquals("no savepoint 'sp-0' of job '" + id + "'", a.error());
    }

    @Test
    void savepoint_ofACancelledJob_is409FromTheService() throws Exception {
        String id = submit(master);
        post(master, "/jobs/" + id + "/cancel", null);
        Answer a = post(master, "/jobs/" + id + "/savepoints", null);
        assertEquals(409, a.status());
        assertEquals("job '" + id + "' is CANCELLED", a.error());
    }

    @Test
    void stop_answersARequestId() throws Exception {
        String id = submit(master);
        Answer a = post(master, "/jobs/" + id + "/stop", "{}");
        assertEquals(202, a.status());
        assertTrue(a.body().get("request-id").asText().startsWith("sp-"));
        assertEquals("FINISHED", get(master, "/jobs/" + id).body().get("status").asText());
    }

    @Test
    void stop_withATargetDirectory_passesItToTheService() throws Exception {
        String id = submit(master);
        Answer a = post(master, "/jobs/" + id + "/stop", "{\"target-directory\":\"/tmp/sp\"}");
        assertEquals(202, a.status());
        String trigger = a.body().get("request-id").asText();
        get(master, "/jobs/" + id + "/savepoints/" + trigger);
        assertEquals("/tmp/sp/savepoint-" + trigger,
                get(master, "/jobs/" + id + "/savepoints/" + trigger).body().get("location").asText());
    }

    @Test
    void stop_withAnUnknownField_is400() throws Exception {
        String id = submit(master);
        Answer a = post(master, "/jobs/" + id + "/stop", "{\"targetDirectory\":\"/tmp/sp\"}");
        assertEquals(400, a.status());
        assertTrue(a.error().contains("targetDirectory"), a.error());
        assertEquals("RUNNING", get(master, "/jobs/" + id).body().get("status").asText());
    }

    @Test
    void rescale_takesTheParallelismFromTheBodyOrTheQuery() throws Exception {
        String id = submit(master);
        Answer a = post(master, "/jobs/" + id + "/rescale", "{\"parallelism\":4}");
        assertEquals(202, a.status());
        assertTrue(a.body().has("request-id"));
        assertEquals(4, get(master, "/jobs/" + id).body().get("parallelism").asInt());
        assertEquals(202, post(master, "/jobs/" + id + "/rescale?parallelism=3", null).status());
        assertEquals(3, get(master, "/jobs/" + id).body().get("parallelism").asInt());
    }

    @Test
    void rescale_withoutParallelism_orBelowOne_is400NamingTheField() throws Exception {
        String id = submit(master);
        Answer missing = post(master, "/jobs/" + id + "/rescale", null);
        assertEquals(400, missing.status());
        assertEquals("missing field 'parallelism' (a number of at least 1)", missing.error());
        Answer zero = post(master, "/jobs/" + id + "/rescale", "{\"parallelism\":0}");
        assertEquals(400, zero.status());
        assertEquals("field 'parallelism' must be at least 1, got 0", zero.error());
        Answer query = post(master, "/jobs/" + id + "/rescale?parallelism=two", null);
        assertEquals(400, query.status());
        assertEquals("query parameter 'parallelism' must be a number, got 'two'", query.error());
    }

    @Test
    void checkpoints_showCountsAndHistory() throws Exception {
        String id = submit(master);
        Answer a = get(master, "/jobs/" + id + "/checkpoints");
        assertEquals(200, a.status());
        assertEquals(2, a.body().get("completed").asInt());
        assertEquals(1, a.body().get("failed").asInt());
        JsonNode entry = a.body().get("history").get(0);
        assertEquals(Map.of("id", 2, "location", "/store/chk-2", "durationMillis", 35, "bytes", 4096),
                JSON.convertValue(entry, Map.class));
    }

    @Test
    void checkpoints_ofAnUnknownJob_is404() throws Exception {
        assertEquals(404, get(master, "/jobs/nope/checkpoints").status());
    }

    // --- jars ----------------------------------------------------------------------------------

    @Test
    void jar_uploadedAsTheRawBody_keepsItsName() throws Exception {
        byte[] jar = jar();
        Answer a = send(master, "POST", "/jars?name=app.jar", HttpRequest.BodyPublishers.ofByteArray(jar),
                "Content-Type", "application/java-archive");
        assertEquals(200, a.status(), a.body().toString());
        String id = a.body().get("jarId").asText();
        assertEquals(Map.entry("app.jar", jar.length), masterService.jars.get(id));
    }

    @Test
    void jar_uploadedAsMultipart_keepsTheFilesName() throws Exception {
        byte[] jar = jar();
        String boundary = "tidemill-boundary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; "
                + "filename=\"/home/me/word-count.jar\"\r\nContent-Type: application/java-archive\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(jar);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        Answer a = send(master, "POST", "/jars", HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()),
                "Content-Type", "multipart/form-data; boundary=" + boundary);
        assertEquals(200, a.status(), a.body().toString());
        assertEquals(Map.entry("word-count.jar", jar.length), masterService.jars.get(a.body().get("jarId").asText()));
    }

    @Test
    void jar_thatIsNotAZip_orEmpty_is400() throws Exception {
        Answer notZip = post(master, "/jars", "hello");
        assertEquals(400, notZip.status());
        assertEquals("not a jar: the body does not start as a zip file does", notZip.error());
        Answer empty = post(master, "/jars", null);
        assertEquals(400, empty.status());
        assertTrue(empty.error().startsWith("empty jar"), empty.error());
    }

    // --- bad requests --------------------------------------------------------------------------

    @Test
    void submit_malformedJson_is400() throws Exception {
        Answer a = post(master, "/jobs", "{\"className\": \"x\", ");
        assertEquals(400, a.status());
        assertTrue(a.error().startsWith("malformed JSON at line 1"), a.error());
    }

    @Test
    void submit_notAnObject_is400() throws Exception {
        Answer a = post(master, "/jobs", "[1, 2]");
        assertEquals(400, a.status());
        assertEquals("request body must be a JSON object, got array [1,2]", a.error());
    }

    @Test
    void submit_withoutClassName_is400NamingTheField() throws Exception {
        Answer a = post(master, "/jobs", "{\"parallelism\":1}");
        assertEquals(400, a.status());
        assertEquals("missing field 'className' (the job class to run)", a.error());
    }

    @Test
    void submit_withoutParallelism_orBelowOne_orNotANumber_is400NamingTheField() throws Exception {
        assertEquals("missing field 'parallelism' (a number of at least 1)",
                post(master, "/jobs", "{\"className\":\"a.B\"}").error());
        assertEquals("field 'parallelism' must be at least 1, got 0",
                post(master, "/jobs", "{\"className\":\"a.B\",\"parallelism\":0}").error());
        Answer text = post(master, "/jobs", "{\"className\":\"a.B\",\"parallelism\":\"2\"}");
        assertEquals(400, text.status());
        assertEquals("field 'parallelism' must be a whole number, got string \"2\"", text.error());
    }

    @Test
    void submit_withBadArgsOrModeOrAnUnknownField_is400NamingTheField() throws Exception {
        assertEquals("field 'args' must be an array of strings, but element 1 is number 3",
                post(master, "/jobs", "{\"className\":\"a.B\",\"parallelism\":1,\"args\":[\"x\",3]}").error());
        assertEquals("field 'checkpointMode' must be one of exactly-once, unaligned, at-least-once, got 'twice'",
                post(master, "/jobs", "{\"className\":\"a.B\",\"parallelism\":1,\"checkpointMode\":\"twice\"}")
                        .error());
        Answer typo = post(master, "/jobs", "{\"className\":\"a.B\",\"paralelism\":1}");
        assertEquals(400, typo.status());
        assertTrue(typo.error().startsWith("unknown field 'paralelism'; known: className, args, parallelism"),
                typo.error());
    }

    @Test
    void submit_ofAnUnknownClass_is400FromTheService() throws Exception {
        Answer a = post(master, "/jobs", submitBody("no.such.Job"));
        assertEquals(400, a.status());
        assertEquals("unknown job class 'no.such.Job'", a.error());
    }

    @Test
    void submit_thatThrowsUnexpectedly_is500WithTheMessageAndNoStackTrace() throws Exception {
        Answer a = post(master, "/jobs", submitBody("boom.Job"));
        assertEquals(500, a.status());
        assertEquals(Map.of("error", "the planner broke on boom.Job"), JSON.convertValue(a.body(), Map.class));
    }

    @Test
    void unknownPath_is404() throws Exception {
        Answer a = get(master, "/nothing/here");
        assertEquals(404, a.status());
        assertEquals("no such endpoint: GET /nothing/here", a.error());
    }

    @Test
    void wrongMethod_is405WithAnAllowHeader() throws Exception {
        Answer a = call(master, "DELETE", "/jobs", null);
        assertEquals(405, a.status());
        assertEquals("GET, POST", a.raw().headers().firstValue("Allow").orElse(""));
        assertEquals("method DELETE not allowed on /jobs; allowed: GET, POST", a.error());
        Answer onJob = call(master, "PUT", "/jobs/some-id", "{}");
        assertEquals(405, onJob.status());
        assertEquals("GET, PATCH", onJob.raw().headers().firstValue("Allow").orElse(""));
    }

    @Test
    void jsonBodyOverTheLimit_is413() throws Exception {
        String big = "{\"className\":\"" + "x".repeat((int) RestApi.JSON_BODY_LIMIT) + "\",\"parallelism\":1}";
        Answer a = post(master, "/jobs", big);
        assertEquals(413, a.status());
        assertEquals("request body too large: the limit is 1048576 bytes for JSON", a.error());
    }

    @Test
    void jarOverTheLimit_is413BeforeItsBodyIsRead() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", master.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /jars?name=huge.jar HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/java-archive\r\nContent-Length: " + (RestApi.JAR_BODY_LIMIT + 1)
                    + "\r\n\r\nPK").getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("HTTP/1.1 413 Request Entity Too Large", in.readLine());
            int length = -1;
            for (String line = in.readLine(); !line.isEmpty(); line = in.readLine()) {
                if (line.toLowerCase().startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            char[] body = new char[length];
            assertEquals(length, in.read(body, 0, length));
            assertEquals("{\"error\":\"request body too large: the limit is 268435456 bytes for a jar\"}",
                    new String(body));
        }
        assertTrue(masterService.jars.values().stream().noneMatch(j -> j.getKey().equals("huge.jar")));
    }

    // --- the API token -------------------------------------------------------------------------

    @Test
    void token_missing_is401() throws Exception {
        Answer a = post(guarded, "/jobs", submitBody("a.B"));
        assertEquals(401, a.status());
        assertTrue(a.error().startsWith("missing Authorization header"), a.error());
        assertEquals("Bearer", a.raw().headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void token_wrong_is401() throws Exception {
        Answer a = call(guarded, "POST", "/jobs", submitBody("a.B"), "Authorization", "Bearer guess");
        assertEquals(401, a.status());
        assertEquals("wrong API token", a.error());
        Answer basic = call(guarded, "POST", "/jobs", submitBody("a.B"), "Authorization", "Basic eDp5");
        assertEquals(401, basic.status());
    }

    @Test
    void token_right_isAccepted_andGetsStayOpen() throws Exception {
        Answer a = call(guarded, "POST", "/jobs", submitBody("a.B"), "Authorization", "Bearer " + TOKEN);
        assertEquals(202, a.status(), a.body().toString());
        String id = a.body().get("jobId").asText();
        assertEquals(200, get(guarded, "/jobs/" + id).status());
        assertEquals(200, get(guarded, "/jobs").status());
        assertEquals(401, call(guarded, "PATCH", "/jobs/" + id + "?mode=cancel", null).status());
    }

    // --- forwarding to the master --------------------------------------------------------------

    @Test
    void follower_forwardsSubmitListAndDetailsToTheMaster() throws Exception {
        Answer submitted = post(follower, "/jobs", submitBody("io.tidemill.examples.Forwarded"));
        assertEquals(202, submitted.status(), submitted.body().toString());
        String id = submitted.body().get("jobId").asText();
        assertTrue(id.startsWith("master-job-"), id);
        assertTrue(followerService.submitted.isEmpty());
        assertEquals(id, get(follower, "/jobs/" + id).body().get("id").asText());
        assertTrue(get(follower, "/jobs").body().get("jobs").toString().contains(id));
        assertEquals(202, post(follower, "/jobs/" + id + "/rescale?parallelism=5", null).status());
        assertEquals(5, get(master, "/jobs/" + id).body().get("parallelism").asInt());
    }

    @Test
    void follower_forwardsTheQuery_andCancelsByPatch() throws Exception {
        String id = submit(master);
        assertEquals(202, call(follower, "PATCH", "/jobs/" + id + "?mode=cancel", null).status());
        assertEquals("CANCELLED", get(master, "/jobs/" + id).body().get("status").asText());
        Answer savepoint = post(follower, "/jobs/" + id + "/savepoints", null);
        assertEquals(409, savepoint.status());
    }

    @Test
    void follower_relaysTheMastersErrors() throws Exception {
        Answer notFound = get(follower, "/jobs/nope");
        assertEquals(404, notFound.status());
        assertEquals("no job 'nope'", notFound.error());
        Answer malformed = post(follower, "/jobs", "{");
        assertEquals(400, malformed.status());
        assertTrue(malformed.error().startsWith("malformed JSON"), malformed.error());
    }

    @Test
    void follower_forwardsAJar() throws Exception {
        byte[] jar = jar();
        Answer a = send(follower, "POST", "/jars?name=fw.jar", HttpRequest.BodyPublishers.ofByteArray(jar));
        assertEquals(200, a.status(), a.body().toString());
        assertEquals(Map.entry("fw.jar", jar.length), masterService.jars.get(a.body().get("jarId").asText()));
    }

    @Test
    void follower_forwardsTheToken_andTheMasterChecksIt() throws Exception {
        Answer ok = call(guardedFollower, "POST", "/jobs", submitBody("a.B"), "Authorization", "Bearer " + TOKEN);
        assertEquals(202, ok.status(), ok.body().toString());
        assertTrue(ok.body().get("jobId").asText().startsWith("guarded-job-"));
        assertEquals(401, post(guardedFollower, "/jobs", submitBody("a.B")).status());
    }

    @Test
    void noMasterYet_is503() throws Exception {
        Answer a = get(orphan, "/jobs");
        assertEquals(503, a.status());
        assertEquals("no master yet", a.error());
        assertEquals(503, post(orphan, "/jobs", submitBody("a.B")).status());
    }

    @Test
    void aForwardedRequestIsNotForwardedAgain() throws Exception {
        Answer a = call(follower, "GET", "/jobs", null, MasterForwarding.HEADER, "1");
        assertEquals(503, a.status());
        assertTrue(a.error().contains("not the job master"), a.error());
    }

    @Test
    void aMasterThatDoesNotAnswer_is502NamingIt() throws Exception {
        String dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = "http://127.0.0.1:" + s.getLocalPort();
        }
        orphanService.masterUrl = dead;
        try {
            Answer a = get(orphan, "/jobs");
            assertEquals(502, a.status());
            assertTrue(a.error().startsWith("the job master at " + dead + " did not answer"), a.error());
        } finally {
            orphanService.masterUrl = null;
        }
        assertFalse(orphanService.master);
    }
}
