package io.tidemill.operator;

import java.util.Arrays;
import java.util.HashSet;

/**
 * Timers of a keyed operator, ordered by time, deduplicated, with lazy deletion: a deleted timer
 * stays in the heap until it surfaces and is skipped. A timer is {@code (time, key, namespace)}; the
 * namespace is the window for window operators and null for process functions.
 */
public final class TimerQueue {
    /** One timer; equal timers are registered once. */
    public record Timer(long time, Object key, Object namespace) implements Comparable<Timer> {
        @Override
        public int compareTo(Timer o) {
            return Long.compare(time, o.time);
        }
    }

    private final Heap heap = new Heap();
    private final HashSet<Timer> live = new HashSet<>();

    public void register(long time, Object key, Object namespace) {
        Timer t = new Timer(time, key, namespace);
        if (live.add(t)) {
            heap.push(t);
        }
    }

    public void delete(long time, Object key, Object namespace) {
        if (!live.isEmpty()) {
            live.remove(new Timer(time, key, namespace));
        }
    }

    /** Removes and returns the earliest live timer at or before {@code time}, or null. */
    public Timer pollDue(long time) {
        while (heap.size() > 0 && heap.nextTime() <= time) {
            Timer t = heap.pop();
            if (live.remove(t)) {
                return t;
            }
        }
        return null;
    }

    /** The earliest live timer's time, or {@code Long.MAX_VALUE}. */
    public long nextTime() {
        while (heap.size() > 0 && !live.contains(heap.peek())) {
            heap.pop();
        }
        return heap.nextTime();
    }

    /**
     * Every live timer, in no particular order: the synchronous part of a snapshot (timers are
     * immutable, so this copies references, without hashing).
     */
    public Timer[] liveTimers() {
        return live.toArray(new Timer[0]);
    }

    public int size() {
        return live.size();
    }

    /**
     * A binary min-heap of timers by time, without deduplication or deletion: for owners that add
     * each timer once and recognise stale ones when they surface. Times sit in a parallel
     * {@code long[]}, so sifting compares primitives instead of following a reference per step; it
     * sifts as {@link java.util.PriorityQueue} does, so equal times come out in the same order.
     */
    public static final class Heap {
        private long[] times = new long[16];
        private Timer[] timers = new Timer[16];
        private int size;

        public int size() {
            return size;
        }

        /** The earliest time, or {@code Long.MAX_VALUE} when empty. */
        public long nextTime() {
            return size == 0 ? Long.MAX_VALUE : times[0];
        }

        /** The earliest timer (the heap must not be empty). */
        public Timer peek() {
            return timers[0];
        }

        public void push(Timer t) {
            if (size == times.length) {
                times = Arrays.copyOf(times, size * 2);
                timers = Arrays.copyOf(timers, size * 2);
            }
            long time = t.time();
            int k = size++;
            while (k > 0) {
                int parent = (k - 1) >>> 1;
                if (time >= times[parent]) {
                    break;
                }
                times[k] = times[parent];
                timers[k] = timers[parent];
                k = parent;
            }
            times[k] = time;
            timers[k] = t;
        }

        /** Removes and returns the earliest timer (the heap must not be empty). */
        public Timer pop() {
            Timer first = timers[0];
            int n = --size;
            Timer last = timers[n];
            long time = times[n];
            timers[n] = null;
            if (n > 0) {
                int k = 0;
                int half = n >>> 1;
                while (k < half) {
                    int child = 2 * k + 1;
                    int right = child + 1;
                    if (right < n && times[child] > times[right]) {
                        child = right;
                    }
                    if (time <= times[child]) {
                        break;
                    }
                    times[k] = times[child];
                    timers[k] = timers[child];
                    k = child;
                }
                times[k] = time;
                timers[k] = last;
            }
            return first;
        }
    }
}
