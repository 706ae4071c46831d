package io.tidemill.connector;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * A job written against the API and the file connectors compiles and runs without Hazelcast: this
 * module's classpath is exactly such a job's (the API, state types, codecs and connectors).
 */
class JobClasspathTest {
    @Test
    void hazelcastIsNotOnTheClasspathOfAJobUsingTheApiAndConnectors() {
        assertThrows(ClassNotFoundException.class, () -> Class.forName("com.hazelcast.core.Hazelcast"));
    }
}
