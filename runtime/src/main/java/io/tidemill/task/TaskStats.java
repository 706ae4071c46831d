package io.tidemill.task;

import io.tidemill.exchange.Channel;

/**
 * What one subtask of a vertex counts for metrics, read from any thread on a scrape. The task's own
 * thread counts into plain fields on the hot path (no atomics per record) and publishes them to the
 * volatile ones once per call ({@link #publish}), so a reader sees figures at most one call old.
 *
 * <p>Busy and backpressured time are measured per call, not per record: a call that made progress
 * counts as busy (a call still going on counts so far, as a blocking sink's long calls would otherwise
 * show only when they end), and from the first call that found the task's output full until the first call
 * that found it drained the task counts as backpressured (it could not emit). The owner of a job
 * keeps one instance per subtask across restarts, so the counters only grow.
 */
public final class TaskStats {
    private final String vertex;
    private final int subtask;

    // ---- task thread only ----
    long recordsOutCount;
    long lateDroppedCount;
    long lateToSideOutputCount;
    long deadLettersCount;
    private long blockedSinceNanos;

    // ---- published ----
    volatile long recordsIn;
    private volatile long recordsOut;
    private volatile long lateDropped;
    private volatile long lateToSideOutput;
    private volatile long deadLetters;
    private volatile long pendingRecords = -1;
    private volatile long busyNanos;
    /** When the call going on started (System.nanoTime), 0 between calls: a long call counts as it goes. */
    private volatile long callSince;
    private volatile long backpressuredNanos;
    /** When the output became full (System.nanoTime), 0 when it is not. */
    private volatile long backpressuredSince;
    private volatile long watermark = Long.MIN_VALUE;
    /** The input channels of the current attempt (none for a source). */
    private volatile Channel[] inputs = new Channel[0];

    public TaskStats(String vertex, int subtask) {
        this.vertex = vertex;
        this.subtask = subtask;
    }

    /** The name of the vertex (the operators of the chain, joined by {@code " -> "}). */
    public String vertex() {
        return vertex;
    }

    public int subtask() {
        return subtask;
    }

    public long recordsIn() {
        return recordsIn;
    }

    /** Records sent to the vertex's outgoing edges (main and side outputs; none for a sink). */
    public long recordsOut() {
        return recordsOut;
    }

    public long lateRecordsDropped() {
        return lateDropped;
    }

    /** Records a source subtask's splits have not read yet, as far as its readers know; -1: unknown. */
    public long pendingRecords() {
        return pendingRecords;
    }

    void pendingRecords(long n) {
        pendingRecords = n;
    }

    /** Malformed records this (source) subtask sent to its dead-letter output. */
    public long deadLetters() {
        return deadLetters;
    }

    public long lateRecordsToSideOutput() {
        return lateToSideOutput;
    }

    /** Time in calls that made progress, including a call still going on (a blocking sink's). */
    public double busySeconds() {
        long since = callSince;
        long open = since == 0 ? 0 : Math.max(0, System.nanoTime() - since);
        return (busyNanos + open) / 1e9;
    }

    /** Time the task could not emit because an output channel was full, including a stretch still going on. */
    public double backpressuredSeconds() {
        long since = backpressuredSince;
        long open = since == 0 ? 0 : Math.max(0, System.nanoTime() - since);
        return (backpressuredNanos + open) / 1e9;
    }

    /** The task's output watermark; {@code Long.MIN_VALUE} before the first. */
    public long watermark() {
        return watermark;
    }

    /** Items queued in the task's input channels over their capacity, 0 to 1 (0 for a source). */
    public double inputQueueFill() {
        Channel[] in = inputs;
        long queued = 0;
        long capacity = 0;
        for (Channel c : in) {
            queued += c.queued();
            capacity += c.capacity();
        }
        return capacity == 0 ? 0 : (double) queued / capacity;
    }

    // ---- the task's side ----

    void attach(Channel[] inputChannels) {
        inputs = inputChannels;
        blockedSinceNanos = 0;
        backpressuredSince = 0;
    }

    void countRecordsIn(long n) {
        recordsIn += n; // one writer: the task
    }

    void watermark(long w) {
        watermark = w;
    }

    /** A call of the task starts ({@code start} from System.nanoTime). */
    void callStarted(long start) {
        callSince = start;
    }

    /** Called once at the end of each call of the task: {@code start} and {@code end} from System.nanoTime. */
    void publish(long start, long end, boolean progress, boolean blocked) {
        if (callSince != 0) {
            callSince = 0;
        }
        if (progress) {
            busyNanos += end - start;
        } else if (!blocked && blockedSinceNanos == 0) {
            return; // nothing was counted: no volatile writes for an idle call
        }
        if (blocked && blockedSinceNanos == 0) {
            blockedSinceNanos = start;
            backpressuredSince = start;
        } else if (!blocked && blockedSinceNanos != 0) {
            backpressuredNanos += start - blockedSinceNanos;
            blockedSinceNanos = 0;
            backpressuredSince = 0;
        }
        recordsOut = recordsOutCount;
        lateDropped = lateDroppedCount;
        lateToSideOutput = lateToSideOutputCount;
        deadLetters = deadLettersCount;
    }

    /** The task ended: a stretch of backpressure ends with it. */
    void ended(long now) {
        callSince = 0;
        if (blockedSinceNanos != 0) {
            backpressuredNanos += now - blockedSinceNanos;
            blockedSinceNanos = 0;
            backpressuredSince = 0;
        }
        recordsOut = recordsOutCount;
        lateDropped = lateDroppedCount;
        lateToSideOutput = lateToSideOutputCount;
        deadLetters = deadLettersCount;
    }
}
