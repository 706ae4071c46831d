package io.tidemill.exchange;

/**
 * An unaligned checkpoint barrier: it overtakes the queue. {@code sequence} is the number of items the
 * producer had put into the channel before it, so the consumer knows which queued items belong
 * before the barrier (they are saved with the snapshot).
 */
public record PriorityBarrier(long checkpointId, long sequence) {}
