package io.tidemill.exchange;

import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One producer subtask → one consumer subtask. The producer fills a batch and hands it over through
 * a bounded queue; when the queue is full the batch waits in a small overflow list and the producer
 * task stops taking input until the overflow drains (backpressure without blocking a thread). The
 * overflow holds at most what one input batch expanded to, so memory stays bounded.
 */
public final class Channel {
    private final SpscQueue<Object> queue;
    private final int batchSize;
    private final ArrayDeque<Object> overflow = new ArrayDeque<>();
    private Batch current;
    /** Items handed over by the producer (queue or overflow); producer thread only. */
    private long pushed;
    /** Items taken from the queue by the consumer; consumer thread only. */
    private long taken;
    /** An unaligned barrier that overtakes the queue. */
    private final AtomicReference<PriorityBarrier> priority = new AtomicReference<>();
    /** Told after every {@link #takeEvery} items taken (the data plane's receiver of a remote channel), or null. */
    private volatile Runnable takeListener;
    private int takeEvery = Integer.MAX_VALUE;
    /** Items taken since the take listener was last told; consumer thread only. */
    private int takenSinceTold;
    /** Told after each hand-over (the data plane's sender of a channel to another node), or null. */
    private volatile PushListener pushListener;

    /** Told by the producer's thread what it handed over; see {@link #onPush}. */
    @FunctionalInterface
    public interface PushListener {
        /**
         * @param urgent the item is not a batch of records (a watermark, a barrier, the end of input or
         *     another control event) or a priority barrier was set: something a consumer waits for,
         *     not more of what it has
         */
        void pushed(boolean urgent);
    }

    public Channel(int queueCapacity, int batchSize) {
        this.queue = new SpscQueue<>(queueCapacity);
        this.batchSize = batchSize;
    }

    // ---- producer side ----

    public void add(Object value, long timestamp) {
        if (current == null) {
            current = new Batch(batchSize);
        }
        if (current.add(value, timestamp)) {
            push(current);
            current = null;
        }
    }

    /** Sends a control event after the records added before it. */
    public void addControl(Object control) {
        flush();
        push(control);
    }

    /** Hands a partially filled batch over. */
    public void flush() {
        if (current != null && current.size > 0) {
            push(current);
            current = null;
        }
    }

    /**
     * Sends an unaligned barrier ahead of everything queued: the records added so far are flushed into
     * the channel and counted, and the barrier carries that count.
     */
    public void addPriorityBarrier(long checkpointId) {
        flush();
        priority.set(new PriorityBarrier(checkpointId, pushed));
        notifyPush(true);
    }

    /**
     * Calls {@code listener} on the producer's thread after every item (or priority barrier) it hands
     * over, so that the data plane's sender can decide to send now rather than at its next flush. It
     * must be cheap and must not block.
     */
    public void onPush(PushListener listener) {
        this.pushListener = listener;
    }

    private void notifyPush(boolean urgent) {
        PushListener l = pushListener;
        if (l != null) {
            l.pushed(urgent);
        }
    }

    /**
     * Hands over a whole item as another channel's producer made it (a {@link Batch}, a {@code Watermark},
     * a {@link Barrier} or a {@link Control}), counted like any other: the bridge of a remote channel
     * pushes each received item here, one in for one out, so {@link #taken} counts match the remote
     * producer's and its priority barriers' sequences stay valid. The item goes to the overflow if the
     * queue is full; a sender that respects credits never lets that happen.
     */
    public void pushItem(Object item) {
        push(item);
    }

    /**
     * Sets an unaligned barrier that another channel's producer made, keeping its {@code sequence}: it
     * counts that producer's items, which this channel receives one for one through {@link #pushItem}.
     */
    public void putPriorityBarrier(PriorityBarrier barrier) {
        priority.set(barrier);
    }

    private void push(Object item) {
        pushed++;
        if (overflow.isEmpty() && queue.offer(item)) {
            notifyPush(!(item instanceof Batch));
            return;
        }
        overflow.add(item);
    }

    /** Moves overflow into the queue; true when nothing is left waiting. */
    public boolean drain() {
        boolean moved = false;
        boolean urgent = false;
        try {
            while (!overflow.isEmpty()) {
                Object item = overflow.peek();
                if (!queue.offer(item)) {
                    return false;
                }
                overflow.poll();
                moved = true;
                urgent |= !(item instanceof Batch);
            }
            return true;
        } finally {
            if (moved) {
                notifyPush(urgent);
            }
        }
    }

    public boolean isBlocked() {
        return !overflow.isEmpty();
    }

    // ---- consumer side ----

    /** The next batch, {@code Watermark} or {@link Control}, or null. */
    public Object poll() {
        Object item = queue.poll();
        if (item != null) {
            taken++;
            Runnable l = takeListener;
            if (l != null && ++takenSinceTold >= takeEvery) {
                takenSinceTold = 0;
                l.run();
            }
        }
        return item;
    }

    /**
     * Calls {@code listener} on the consumer's thread after every {@code every} items it takes, so
     * that the data plane can grant the producer on another node the space they freed without waiting
     * for its next flush. It must be cheap and must not block.
     */
    public void onTake(int every, Runnable listener) {
        if (every < 1) {
            throw new IllegalArgumentException("every must be at least 1, was " + every);
        }
        this.takeEvery = every;
        this.takeListener = listener; // publishes takeEvery
    }

    /** Items taken from the queue so far (consumer side). */
    public long taken() {
        return taken;
    }

    /** The pending unaligned barrier without taking it (consumer side). */
    public PriorityBarrier peekPriority() {
        return priority.get();
    }

    /** The pending unaligned barrier, if any (consumer side). */
    public PriorityBarrier pollPriority() {
        return priority.getAndSet(null);
    }

    /** Items waiting in the queue (for metrics and tests). */
    public int queued() {
        return queue.size();
    }

    public int capacity() {
        return queue.capacity();
    }
}
