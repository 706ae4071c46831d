package io.tidemill.cluster.api;

import java.util.List;

/**
 * A node's data plane as {@code GET /exchange} shows it: one entry per handshaken connection, with
 * counters since the connection opened (a client computes rates from the deltas of two reads).
 *
 * @param member the answering node's member id
 * @param connections the node's open data connections
 */
public record ExchangeStats(String member, List<Connection> connections) {
    /** One connection to {@code peer} ({@code host:port} of its data plane), as this node counted it. */
    public record Connection(String peer, long recordsSent, long bytesSent, long recordsReceived,
                             long bytesReceived) {}
}
