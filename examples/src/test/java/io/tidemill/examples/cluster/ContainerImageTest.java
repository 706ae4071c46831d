package io.tidemill.examples.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The Dockerfile against bin/tidemill and the manifests. No container runtime here, so the image is
 * not built; this checks what can go wrong between the files: the image runs {@code bin/tidemill node}
 * (whose Java flags are Hazelcast's, the ones every test node runs with), the jar lands where
 * bin/tidemill looks for it, the user is the non-root uid the pods run as, and the pods' file system
 * can be read-only with /tmp as a volume.
 */
class ContainerImageTest {
    private static final Pattern INSTRUCTION = Pattern.compile("^(FROM|COPY|USER|ENTRYPOINT|CMD|WORKDIR)\\s+(.*)$");

    @Test
    @Timeout(30)
    void theImageRunsBinTidemillNodeAsTheNonRootUserOfThePods() throws IOException {
        Path repository = Manifests.repository();
        List<String[]> runStage = lastStage(Files.readAllLines(repository.resolve("Dockerfile")));
        String user = value(runStage, "USER").split(":")[0];
        assertTrue(user.matches("[0-9]+") && Integer.parseInt(user) != 0,
                "USER is a numeric non-root uid (runAsNonRoot can only check a number), was " + user);

        JsonNode pod = Manifests.document("statefulset.yaml", "StatefulSet").path("spec").path("template")
                .path("spec");
        assertEquals(user, pod.path("securityContext").path("runAsUser").asText(), "the pods run as the image's user");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean());
        JsonNode container = Manifests.container(pod, "tidemill");
        assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean());
        assertTrue(container.path("volumeMounts").findValuesAsText("mountPath").contains("/tmp"),
                "a writable /tmp beside the read-only root");

        // ENTRYPOINT bin/tidemill, CMD (or the pod's args) node
        String entrypoint = value(runStage, "ENTRYPOINT");
        Matcher script = Pattern.compile("\\[\"(/[^\"]+)/bin/tidemill\"]").matcher(entrypoint);
        assertTrue(script.matches(), "ENTRYPOINT runs bin/tidemill, was " + entrypoint);
        String home = script.group(1);
        assertEquals("[\"node\"]", value(runStage, "CMD"));
        assertEquals("node", container.path("args").path(0).asText());

        // bin/tidemill and the jar where bin/tidemill finds it ($HERE/dist/target/tidemill.jar)
        String launcher = Files.readString(repository.resolve("bin/tidemill"));
        Matcher jar = Pattern.compile("JAR=\"\\$HERE/([^\"]+)\"").matcher(launcher);
        assertTrue(jar.find(), "bin/tidemill names its jar");
        List<String> copies = new ArrayList<>();
        for (String[] i : runStage) {
            if (i[0].equals("COPY")) {
                copies.add(i[1]);
            }
        }
        assertTrue(copies.stream().anyMatch(c -> c.endsWith("/bin/tidemill " + home + "/bin/tidemill")),
                copies::toString);
        assertTrue(copies.stream().anyMatch(c -> c.endsWith(" " + home + "/" + jar.group(1))), copies::toString);

        // the flags bin/tidemill gives the JVM are the ones the tests' nodes run with (Hazelcast's)
        for (String flag : NodeProcess.JVM_FLAGS) {
            assertTrue(launcher.contains(flag), "bin/tidemill passes " + flag);
        }
        // the example Job calls the same script
        JsonNode job = Manifests.document("examples/submit-nexmark-q5.yaml", "Job");
        String commands = Manifests.container(job.path("spec").path("template").path("spec"), "submit")
                .path("args").path(0).asText();
        assertTrue(commands.contains(home + "/bin/tidemill submit"), commands);
    }

    /** The instructions of the Dockerfile's last stage (the image that runs), continuation lines joined. */
    private static List<String[]> lastStage(List<String> lines) {
        List<String[]> stage = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            current.append(line.strip());
            if (line.endsWith("\\")) {
                current.setLength(current.length() - 1);
                continue;
            }
            Matcher m = INSTRUCTION.matcher(current.toString());
            if (m.matches()) {
                if (m.group(1).equals("FROM")) {
                    stage.clear();
                }
                stage.add(new String[] {m.group(1), m.group(2).strip()});
            }
            current.setLength(0);
        }
        return stage;
    }

    private static String value(List<String[]> stage, String instruction) {
        String v = null;
        for (String[] i : stage) {
            if (i[0].equals(instruction)) {
                v = i[1];
            }
        }
        assertNotNull(v, "the Dockerfile's last stage has " + instruction);
        return v;
    }
}
