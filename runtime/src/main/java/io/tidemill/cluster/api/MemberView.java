package io.tidemill.cluster.api;

/** A member as {@code GET /members} shows it. */
public record MemberView(String id, String host, int hazelcastPort, int dataPort, int httpPort, boolean master,
                         boolean local) {}
