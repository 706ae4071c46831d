package io.tidemill.cli;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.Pipeline;
import io.tidemill.api.StreamJob;
import io.tidemill.cluster.NodeConfig;
import io.tidemill.cluster.TidemillNode;
import io.tidemill.connector.file.JsonLinesFileSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The client commands against a real one-node cluster: its REST API, its job master, a real job. */
@Timeout(60)
class NodeCommandsTest {
    /** A small bounded job: numbers doubled into JSON-lines files in {@code args[0]}. */
    public static final class DoublingJob implements StreamJob {
        @Override
        public Pipeline build(List<String> args) {
            Pipeline p = Pipeline.create().setName("doubling");
            p.fromCollection(IntStream.range(0, 1000).boxed().toList()).map(i -> i * 2)
                    .sinkTo(JsonLinesFileSink.toDirectory(Path.of(args.get(0))));
            return p;
        }
    }

    @TempDir
    Path dir;

    TidemillNode node;
    String url;
    private CapturedCli cli;

    @BeforeEach
    void start() throws Exception {
        int port = io.tidemill.cluster.FreePorts.pick();
        node = TidemillNode.start(NodeConfig.forTest("rest-" + UUID.randomUUID(), port,
                List.of("127.0.0.1:" + port)).withWorkerThreads(2));
        await().atMost(Duration.ofSeconds(30)).until(() -> node.ready() && node.isMaster());
        url = "http://127.0.0.1:" + node.httpPort();
        cli = new CapturedCli();
    }

    @AfterEach
    void stop() {
        cli.close();
        node.close();
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
    void aJobSubmittedThroughTheCli_runsToTheEnd_andIsListed() {
        assertEquals(0, run("members", "--cluster", url), err());
        assertTrue(out().contains("master (this node)"), out());
        assertEquals(0, run("list", "--cluster", url));
        assertEquals("no jobs\n", out());

        assertEquals(0, run("submit", "--cluster", url, "--parallelism", "1", DoublingJob.class.getName(),
                dir.resolve("out").toString()), err());
        Matcher m = Pattern.compile("job (\\S+) submitted").matcher(out());
        assertTrue(m.find(), out());
        String id = m.group(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> run("status", id, "--cluster", url) == 0
                && out().contains("FINISHED"));
        assertTrue(out().contains("class        " + DoublingJob.class.getName()), out());
        assertEquals(0, run("list", "--cluster", url));
        assertTrue(out().lines().anyMatch(l -> l.startsWith(id) && l.contains("FINISHED")), out());
    }

    @Test
    void theNodesRefusals_arePrintedWithTheirStatus() {
        assertEquals(1, run("submit", "--cluster", url, "--parallelism", "1", "no.such.Job"));
        assertTrue(err().startsWith("tidemill submit: 400 job class no.such.Job is not on the node's "
                + "classpath"), err());
        assertEquals(1, run("status", "nope", "--cluster", url));
        assertEquals("tidemill status: 404 no job 'nope'\n", err());
    }
}
