package io.tidemill.api.source;

/** One independently readable part of a source. */
public interface SourceSplit {
    /** A stable id, unique within the source (used to record offsets). */
    String splitId();
}
