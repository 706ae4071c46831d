package io.tidemill.examples.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The repository's deploy/k8s manifests and Dockerfile, read as the tests need them. */
final class Manifests {
    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {}

    /** The repository's root: the first directory upwards from the working directory with deploy/k8s. */
    static Path repository() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("deploy/k8s"))) {
                return p;
            }
        }
        throw new IllegalStateException("no deploy/k8s above " + Path.of("").toAbsolutePath());
    }

    static Path k8s() {
        return repository().resolve("deploy/k8s");
    }

    /** Every YAML document of a file under deploy/k8s. */
    static List<JsonNode> documents(String file) {
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(k8s().resolve(file).toFile())) {
            while (it.hasNext()) {
                JsonNode d = it.next();
                if (d != null && !d.isNull() && !d.isMissingNode()) {
                    docs.add(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return docs;
    }

    /** The one document of {@code kind} in {@code file}. */
    static JsonNode document(String file, String kind) {
        List<JsonNode> found = documents(file).stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
        if (found.size() != 1) {
            throw new AssertionError(file + ": expected one " + kind + ", found " + found.size());
        }
        return found.get(0);
    }

    /** The container named {@code name} of a pod template's spec. */
    static JsonNode container(JsonNode podSpec, String name) {
        for (JsonNode c : podSpec.path("containers")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no container " + name);
    }
}
