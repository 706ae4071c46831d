package io.tidemill.operator;

import java.util.HashSet;
import java.util.PriorityQueue;

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

    private final PriorityQueue<Timer> heap = new PriorityQueue<>();
    private final HashSet<Timer> live = new HashSet<>();

    public void register(long time, Object key, Object namespace) {
        Timer t = new Timer(time, key, namespace);
        if (live.add(t)) {
            heap.add(t);
        }
    }

    public void delete(long time, Object key, Object namespace) {
        live.remove(new Timer(time, key, namespace));
    }

    /** Removes and returns the earliest live timer at or before {@code time}, or null. */
    public Timer pollDue(long time) {
        while (!heap.isEmpty() && heap.peek().time() <= time) {
            Timer t = heap.poll();
            if (live.remove(t)) {
                return t;
            }
        }
        return null;
    }

    /** The earliest live timer's time, or {@code Long.MAX_VALUE}. */
    public long nextTime() {
        while (!heap.isEmpty() && !live.contains(heap.peek())) {
            heap.poll();
        }
        return heap.isEmpty() ? Long.MAX_VALUE : heap.peek().time();
    }

    /** Every live timer, in no particular order (for snapshots). */
    public Iterable<Timer> live() {
        return live;
    }

    public int size() {
        return live.size();
    }
}
