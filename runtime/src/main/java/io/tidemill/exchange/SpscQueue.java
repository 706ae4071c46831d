package io.tidemill.exchange;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer single-consumer ring buffer. The producer publishes an element by a
 * release-store of its index after writing the slot; the consumer reads the slot after an acquire
 * load of that index, and frees it the same way. Each side caches the other's index to touch the
 * shared cache line only when the buffer looks full (or empty).
 */
public final class SpscQueue<E> {
    private final Object[] buffer;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private long producerCachedHead;
    private long consumerCachedTail;

    public SpscQueue(int capacity) {
        int cap = Integer.highestOneBit(Math.max(2, capacity - 1) << 1);
        this.buffer = new Object[cap];
        this.mask = cap - 1;
    }

    public int capacity() {
        return buffer.length;
    }

    /** Adds an element; false when full. Producer thread only. */
    public boolean offer(E e) {
        long t = tail.get();
        if (t - producerCachedHead >= buffer.length) {
            producerCachedHead = head.get();
            if (t - producerCachedHead >= buffer.length) {
                return false;
            }
        }
        buffer[(int) t & mask] = e;
        tail.lazySet(t + 1);
        return true;
    }

    /** Removes the oldest element, or returns null when empty. Consumer thread only. */
    @SuppressWarnings("unchecked")
    public E poll() {
        long h = head.get();
        if (h >= consumerCachedTail) {
            consumerCachedTail = tail.get();
            if (h >= consumerCachedTail) {
                return null;
            }
        }
        int i = (int) h & mask;
        E e = (E) buffer[i];
        buffer[i] = null;
        head.lazySet(h + 1);
        return e;
    }

    /** An estimate of the number of elements, from any thread. */
    public int size() {
        return (int) Math.max(0, tail.get() - head.get());
    }
}
