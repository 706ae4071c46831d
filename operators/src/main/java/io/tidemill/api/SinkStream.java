package io.tidemill.api;

import io.tidemill.graph.Node;

/** The end of a stream in a sink; lets the sink be named and given a parallelism. */
public final class SinkStream {
    private final Node node;

    SinkStream(Node node) {
        this.node = node;
    }

    public SinkStream name(String name) {
        node.setName(name);
        return this;
    }

    /** The sink's stable id in snapshots; see {@link DataStream#uid}. */
    public SinkStream uid(String uid) {
        node.setUid(uid);
        return this;
    }

    public SinkStream setParallelism(int parallelism) {
        node.setParallelism(parallelism);
        return this;
    }
}
