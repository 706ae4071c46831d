package io.tidemill.exchange;

/** Checkpoint barrier {@code checkpointId}: everything before it in a channel belongs to the snapshot. */
public record Barrier(long checkpointId) {}
