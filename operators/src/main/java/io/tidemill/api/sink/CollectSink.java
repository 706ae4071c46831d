package io.tidemill.api.sink;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Collects records in memory, for tests and small local jobs; all subtasks add to one shared list
 * that can be read while the job runs. Only meaningful on an embedded local cluster.
 */
public final class CollectSink<T> implements Sink<T> {
    private final ConcurrentLinkedQueue<T> values = new ConcurrentLinkedQueue<>();

    @Override
    public SinkWriter<T> createWriter(int subtask, int parallelism) {
        return (value, timestamp) -> values.add(value);
    }

    /** A snapshot of everything collected so far, in arrival order. */
    public List<T> values() {
        return new ArrayList<>(values);
    }

    public int size() {
        return values.size();
    }
}
