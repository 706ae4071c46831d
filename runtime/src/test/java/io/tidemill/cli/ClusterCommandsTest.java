package io.tidemill.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.cluster.api.SubmitRequest;
import io.tidemill.cluster.rest.InMemoryClusterService;
import io.tidemill.cluster.rest.RestApi;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's cluster commands against a real REST API over an in-memory cluster service. */
@Timeout(10)
class ClusterCommandsTest {
    static final String TOKEN = "cli-token";
    static Vertx vertx;

    @TempDir
    Path dir;

    InMemoryClusterService service;
    RestApi api;
    String url;
    private CapturedCli cli;

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @BeforeEach
    void start() {
        service = new InMemoryClusterService("node");
        api = RestApi.start(vertx, "127.0.0.1", 0, service, TOKEN);
        url = "http://127.0.0.1:" + api.port();
        cli = new CapturedCli();
    }

    @AfterEach
    void stop() {
        cli.close();
        api.close();
    }

    int run(String... args) {
        return cli.run(args);
    }

    String out() {
        return cli.out();
    }

    String err() {
        return cli.err();
    }

    @Test
    void version_printsTheProjectVersionMavenBuilt() {
        assertEquals(0, run("--version"), err());
        assertTrue(out().matches("tidemill \\d+\\.\\d+\\.\\d+\\S*\n"), out());
    }

    @Test
    void dashH_printsTheCommandListWithItsSummariesInOneColumn() {
        assertEquals(0, run("-h"), err());
        List<String> lines = out().lines().dropWhile(l -> !l.equals("commands:")).skip(1).toList();
        assertTrue(lines.size() >= 9, out());
        List<Integer> summaryColumns = new ArrayList<>();
        for (String line : lines) {
            Matcher m = Pattern.compile("^  \\S+ +(\\S)").matcher(line);
            assertTrue(m.find(), line);
            summaryColumns.add(m.start(1));
        }
        assertEquals(1, summaryColumns.stream().distinct().count(), out());
        assertEquals(0, run("status", "-h"), err());
        assertTrue(out().startsWith("usage:"), out());
    }

    /** Submits a job through the CLI and returns its id. */
    String submit() {
        assertEquals(0, run("submit", "--cluster", url, "--token", TOKEN, "--parallelism", "2",
                "io.tidemill.examples.WordCount"), err());
        Matcher m = Pattern.compile("job (\\S+) submitted").matcher(out());
        assertTrue(m.find(), out());
        return m.group(1);
    }

    @Test
    void submit_sendsItsOptions_andEverythingAfterTheClassToTheJob() {
        assertEquals(0, run("submit", "--cluster", url, "--token", TOKEN, "--parallelism", "4",
                "--checkpoint-interval", "1s", "--checkpoint-mode", "unaligned", "--restart-attempts", "7",
                "--restart-delay", "250ms", "--savepoint", "/sp/savepoint-1",
                "io.tidemill.examples.nexmark.NexmarkJob", "--query", "q5", "--parallelism", "9"), err());
        assertEquals("job node-job-1 submitted\n", out());
        assertEquals(new SubmitRequest("io.tidemill.examples.nexmark.NexmarkJob",
                List.of("--query", "q5", "--parallelism", "9"), 4, null, 1000, "unaligned", 7, 250L,
                "/sp/savepoint-1"), service.submitted.get(0));
    }

    @Test
    void submit_passesAHelpAfterTheClassToTheJob() {
        assertEquals(0, run("submit", "--cluster", url, "--token", TOKEN, "--parallelism", "1", "a.Job", "--help"),
                err());
        assertEquals(List.of("--help"), service.submitted.get(0).args());
        assertEquals(0, run("submit", "--help"));
        assertTrue(out().startsWith("usage: tidemill submit"), out());
    }

    @Test
    void submit_afterADoubleDash_takesTheNextArgumentAsTheClass() {
        assertEquals(0, run("submit", "--cluster", url, "--token", TOKEN, "--parallelism", "1", "--", "a.Job", "x"),
                err());
        assertEquals(List.of("x"), service.submitted.get(0).args());
    }

    @Test
    void submit_withAJar_uploadsItFirst() throws Exception {
        Path jar = dir.resolve("my-job.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("a/Job.class"));
            zip.write(new byte[] {(byte) 0xCA, (byte) 0xFE});
            zip.closeEntry();
        }
        assertEquals(0, run("submit", "--cluster", url, "--token", TOKEN, "--parallelism", "1", "--jar",
                jar.toString(), "a.Job"), err());
        String jarId = service.submitted.get(0).jarId();
        assertEquals("my-job.jar", service.jars.get(jarId).getKey());
        assertTrue(err().contains("uploaded " + jar + " as " + jarId), err());
    }

    @Test
    void submit_withoutParallelismOrClass_isAUsageError() {
        assertEquals(2, run("submit", "--cluster", url, "a.Job", "--parallelism", "2"));
        assertTrue(err().startsWith("tidemill submit: missing option --parallelism (submit's options come before"),
                err());
        assertEquals(2, run("submit", "--cluster", url, "--parallelism", "2"));
        assertTrue(err().startsWith("tidemill submit: missing the job class"), err());
        assertEquals(2, run("submit", "--cluster", url, "--parallelism", "2", "--checkpoint-mode", "twice", "a.B"));
        assertTrue(err().contains("--checkpoint-mode must be exactly-once, unaligned or at-least-once"), err());
        assertTrue(service.submitted.isEmpty());
    }

    @Test
    void submit_refusedByTheServer_printsStatusAndError() {
        assertEquals(1, run("submit", "--cluster", url, "--token", TOKEN, "--parallelism", "2", "no.such.Job"));
        assertEquals("tidemill submit: 400 unknown job class 'no.such.Job'\n", err());
    }

    @Test
    void list_printsATableOfJobs() {
        assertEquals(0, run("list", "--cluster", url));
        assertEquals("no jobs\n", out());
        String id = submit();
        assertEquals(0, run("list", "--cluster", url));
        List<String> lines = out().lines().toList();
        assertEquals("JOB ID      NAME       STATUS   PARALLELISM  RESTARTS  STARTED", lines.get(0));
        assertEquals(id + "  WordCount  RUNNING  2            0         2023-11-14T22:13:20Z", lines.get(1));
    }

    @Test
    void status_printsTheJobAndItsVertices() {
        String id = submit();
        assertEquals(0, run("status", id, "--cluster", url), err());
        String text = out();
        assertTrue(text.contains("status       RUNNING"), text);
        assertTrue(text.contains("class        io.tidemill.examples.WordCount"), text);
        List<String> lines = text.lines().toList();
        int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("VERTEX")).findFirst().orElseThrow());
        assertEquals("VERTEX            PARALLELISM  RECORDS IN  RECORDS OUT  WATERMARK             PLACEMENT",
                lines.get(header));
        assertEquals("0 source          2            0           1,200        -                     m-1, m-2",
                lines.get(header + 1));
        assertEquals("1 window -> sink  2            1,200       40           2023-11-14T22:13:25Z  m-2, m-1",
                lines.get(header + 2));
    }

    @Test
    void status_ofAnUnknownJob_printsThe404() {
        assertEquals(1, run("status", "nope", "--cluster", url));
        assertEquals("tidemill status: 404 no job 'nope'\n", err());
    }

    @Test
    void status_withoutAJobId_isAUsageError() {
        assertEquals(2, run("status", "--cluster", url));
        assertTrue(err().startsWith("tidemill status: missing the job id"), err());
    }

    @Test
    void cancel_cancelsTheJob() {
        String id = submit();
        assertEquals(0, run("cancel", id, "--cluster", url, "--token", TOKEN), err());
        assertEquals("cancelling job " + id + "\n", out());
        assertEquals("CANCELLED", service.job(id).orElseThrow().status());
    }

    @Test
    void cancel_withoutTheToken_printsThe401() {
        String id = submit();
        assertEquals(1, run("cancel", id, "--cluster", url));
        assertTrue(err().startsWith("tidemill cancel: 401 missing Authorization header"), err());
        assertEquals(1, run("cancel", id, "--cluster", url, "--token", "guess"));
        assertEquals("tidemill cancel: 401 wrong API token\n", err());
        assertEquals("RUNNING", service.job(id).orElseThrow().status());
    }

    @Test
    void savepoint_printsTheTriggerId_andWithWaitTheLocation() {
        String id = submit();
        assertEquals(0, run("savepoint", id, "--cluster", url, "--token", TOKEN), err());
        assertTrue(out().matches("savepoint sp-\\d+ triggered for job " + id + "\n"), out());
        assertEquals(0, run("savepoint", id, "--target-directory", "/tmp/sp", "--wait", "--cluster", url, "--token",
                TOKEN), err());
        Matcher m = Pattern.compile("savepoint (sp-\\d+) triggered").matcher(out());
        assertTrue(m.find(), out());
        assertTrue(out().endsWith("savepoint completed: /tmp/sp/savepoint-" + m.group(1) + "\n"), out());
    }

    @Test
    void stop_withWait_printsTheSavepoint() {
        String id = submit();
        assertEquals(0, run("stop", id, "--wait", "--cluster", url, "--token", TOKEN), err());
        assertTrue(out().startsWith("stopping job " + id + " with savepoint sp-"), out());
        assertTrue(out().contains("job " + id + " stopped; savepoint: /store/savepoint-sp-"), out());
        assertEquals("FINISHED", service.job(id).orElseThrow().status());
    }

    @Test
    void rescale_restartsAtTheNewParallelism() {
        String id = submit();
        assertEquals(0, run("rescale", id, "--parallelism", "3", "--cluster", url, "--token", TOKEN), err());
        assertTrue(out().startsWith("rescaling job " + id + " to parallelism 3 through savepoint sp-"), out());
        assertEquals(3, service.job(id).orElseThrow().parallelism());
        assertEquals(2, run("rescale", id, "--cluster", url));
        assertEquals("tidemill rescale: missing option --parallelism\n", err());
    }

    @Test
    void members_printsATable() {
        assertEquals(0, run("members", "--cluster", url));
        assertEquals(List.of(
                "MEMBER  HOST      HTTP  DATA  HAZELCAST  ROLE",
                "m-1     10.0.0.1  8081  6701  5701       master (this node)",
                "m-2     10.0.0.2  8081  6701  5701       member"), out().lines().toList());
    }

    @Test
    void aClusterThatIsNotThere_isNamedInTheError() throws Exception {
        String dead;
        try (ServerSocket s = new ServerSocket(0)) {
            dead = "http://127.0.0.1:" + s.getLocalPort();
        }
        assertEquals(1, run("list", "--cluster", dead));
        assertEquals("tidemill list: cannot connect to the cluster at " + dead + " (connection refused); is a node "
                + "running there? (set --cluster or TIDEMILL_CLUSTER)\n", err());
    }

    @Test
    void aMalformedClusterUrl_isAUsageError() {
        assertEquals(2, run("list", "--cluster", "localhost:8081"));
        assertEquals("tidemill list: option --cluster expects a URL like http://host:8081, got 'localhost:8081'\n",
                err());
    }

    @Test
    void everyCommand_hasUsage_andIsListed() {
        List<String> names = new ArrayList<>(List.of("submit", "list", "status", "cancel", "savepoint", "stop",
                "rescale", "members"));
        for (String name : names) {
            assertEquals(0, run(name, "--help"));
            assertTrue(out().startsWith("usage: tidemill " + name), out());
            assertTrue(out().contains("--cluster URL"), out());
        }
        assertEquals(0, run("--help"));
        for (String name : names) {
            assertTrue(out().contains("  " + name + " "), name + " in " + out());
        }
    }
}
