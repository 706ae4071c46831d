package io.tidemill.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.cluster.api.SubmitRequest;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A job whose classes are only in a jar sent to the cluster: compiled here, uploaded with
 * {@code POST /jars}, submitted by its id. Both nodes load it in a class loader of its own, and its
 * own record type crosses the network between them (decoded in that class loader).
 */
class JobJarTest {
    private static final String SOURCE = """
            package jarjob;

            import io.tidemill.api.Pipeline;
            import io.tidemill.api.StreamJob;
            import io.tidemill.connector.file.JsonLinesFileSink;
            import java.nio.file.Path;
            import java.util.ArrayList;
            import java.util.List;

            public class DoublingJob implements StreamJob {
                public record Doubled(long value) {}

                @Override
                public Pipeline build(List<String> args) {
                    Pipeline p = Pipeline.create().setName("doubling");
                    List<Long> numbers = new ArrayList<>();
                    for (long i = 0; i < 10_000; i++) {
                        numbers.add(i);
                    }
                    p.fromCollection(numbers).setParallelism(2).map(x -> new Doubled(2 * x)).rebalance()
                            .map(d -> d.value()).sinkTo(JsonLinesFileSink.toDirectory(Path.of(args.get(0))));
                    return p;
                }
            }
            """;

    @TempDir
    Path dir;

    private byte[] jar() throws Exception {
        Path src = dir.resolve("src/jarjob/DoublingJob.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = dir.resolve("classes");
        Files.createDirectories(classes);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "-d", classes.toString(), "-cp", System.getProperty("java.class.path"),
                src.toString());
        assertEquals(0, rc, "the job compiles");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes); Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                jar.putNextEntry(new JarEntry(classes.relativize(f).toString().replace('\\', '/')));
                jar.write(Files.readAllBytes(f));
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    @Test
    void aJobFromAnUploadedJarRunsOnTwoNodes() throws Exception {
        byte[] jar = jar();
        Path out = dir.resolve("out");
        try (ClusterKit kit = ClusterKit.start(2, 1)) {
            HttpResponse<String> upload = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + kit.nodes.get(1).httpPort() + "/jars?name=doubling.jar"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(jar)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, upload.statusCode(), upload.body());
            String jarId = Rest.JSON.readTree(upload.body()).get("jarId").asText();
            String id = kit.master().submit(new SubmitRequest("jarjob.DoublingJob", List.of(out.toString()), 2,
                    jarId, 0, null, 0, 0L, null));
            ClusterNexmarkTest.awaitStatus(kit.master(), id, "FINISHED");
            for (var n : kit.nodes) {
                long received = n.dataPlaneStats().connections().stream().mapToLong(c -> c.recordsReceived()).sum();
                assertTrue(received > 0, "records crossed the network to node " + n.memberId());
            }
        }
        List<Long> got = new ArrayList<>();
        for (String line : ClusterNexmarkTest.rows(out)) {
            got.add(Long.parseLong(line.trim()));
        }
        got.sort(null);
        List<Long> want = new ArrayList<>();
        for (long i = 0; i < 10_000; i++) {
            want.add(2 * i);
        }
        assertEquals(want, got);
    }
}
