package io.tidemill.api.source;

import java.util.List;

/**
 * Watches a source for splits that appear while the job runs. The lookup itself (a network call)
 * runs in the background; {@link #poll} only hands over what it found, so it never blocks.
 */
public interface SplitDiscovery extends AutoCloseable {
    /** Splits found since the last call, each once; empty if none. Called from a cooperative worker. */
    List<SourceSplit> poll() throws Exception;

    @Override
    default void close() throws Exception {}
}
