package io.tidemill.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The distribution logs through one SLF4J binding, with its defaults: Tidemill's restore and
 * fallback messages at INFO, the libraries' chatter at WARN. The libraries themselves depend on
 * {@code slf4j-api} only, so users choose the binding of their own programs.
 */
@Timeout(30)
class DistributionLoggingTest {
    @Test
    void tidemillLogsAtInfo_librariesAtWarn() {
        assertEquals("org.slf4j.simple.SimpleLoggerFactory", LoggerFactory.getILoggerFactory().getClass().getName());
        assertTrue(LoggerFactory.getLogger("io.tidemill.local.Job").isInfoEnabled(),
                "restores and checkpoint fallbacks are logged at INFO and WARN");
        for (String library : List.of("com.hazelcast.internal.cluster.ClusterService", "io.vertx.core.impl.VertxImpl",
                "io.netty.channel.ChannelFactory", "org.apache.kafka.clients.NetworkClient")) {
            assertFalse(LoggerFactory.getLogger(library).isInfoEnabled(), library + " logs at INFO");
            assertTrue(LoggerFactory.getLogger(library).isWarnEnabled(), library + " does not log its warnings");
        }
    }

    /** slf4j-simple, logback or log4j's binding at compile (or runtime) scope in a library module's POM. */
    private static final Pattern BINDING = Pattern.compile(
            "<dependency>\\s*<groupId>[^<]*</groupId>\\s*<artifactId>(slf4j-simple|logback-classic|log4j-slf4j2?-impl|"
                    + "slf4j-reload4j|slf4j-jdk14)</artifactId>(.*?)</dependency>", Pattern.DOTALL);

    @Test
    void theLibrariesBringNoBinding_onlyTheDistributionDoes() throws Exception {
        Path root = Path.of("").toAbsolutePath().getParent();
        for (String module : List.of("checkpoint", "operators", "connectors", "connectors-kafka", "runtime",
                "examples", "bench")) {
            String pom = Files.readString(root.resolve(module).resolve("pom.xml"));
            Matcher m = BINDING.matcher(pom);
            while (m.find()) {
                assertTrue(m.group(2).contains("<scope>test</scope>"),
                        module + "/pom.xml depends on the logging binding " + m.group(1) + " outside tests");
            }
        }
        String parent = Files.readString(root.resolve("pom.xml"));
        String shared = parent.substring(parent.indexOf("</dependencyManagement>"));
        Matcher m = BINDING.matcher(shared);
        while (m.find()) {
            assertTrue(m.group(2).contains("<scope>test</scope>"),
                    "the parent pom gives every module the binding " + m.group(1) + " outside tests");
        }
        assertTrue(BINDING.matcher(Files.readString(root.resolve("dist/pom.xml"))).find(),
                "the distribution ships a binding");
    }
}
