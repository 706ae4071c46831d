package io.tidemill.testing;

import io.tidemill.checkpoint.store.SnapshotStore;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A snapshot store over another whose operations the test holds back or fails. An operation is
 * named {@code "put <key>"} or {@code "delete <key>"}; operations matching {@link #holdWhere} wait
 * until {@link #release}, those matching {@link #failWhere} throw the given exception. Counts puts
 * per key.
 */
public final class ControlledStore implements SnapshotStore {
    private final SnapshotStore files;
    private final Map<String, AtomicInteger> puts = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile Predicate<String> hold = op -> false;
    private volatile Predicate<String> fail = op -> false;
    private volatile IOException failure;

    public ControlledStore(SnapshotStore files) {
        this.files = files;
    }

    /** Matching operations from now on wait for {@link #release}. */
    public ControlledStore holdWhere(Predicate<String> operation) {
        hold = operation;
        return this;
    }

    /** Matching operations from now on throw {@code e}. */
    public ControlledStore failWhere(Predicate<String> operation, IOException e) {
        failure = e;
        fail = operation;
        return this;
    }

    /** Lets every held operation, and any later one, go on. */
    public void release() {
        released.countDown();
    }

    /** Operations waiting for {@link #release} now. */
    public int waiting() {
        return waiting.get();
    }

    /** How often {@code key} was written (the put done). */
    public int putsOf(String key) {
        AtomicInteger n = puts.get(key);
        return n == null ? 0 : n.get();
    }

    private void control(String operation) throws IOException {
        if (fail.test(operation)) {
            throw failure;
        }
        if (released.getCount() > 0 && hold.test(operation)) {
            waiting.incrementAndGet();
            try {
                released.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while held", e);
            } finally {
                waiting.decrementAndGet();
            }
        }
    }

    @Override
    public void put(String key, byte[] blob) throws IOException {
        control("put " + key);
        files.put(key, blob);
        puts.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    @Override
    public byte[] get(String key) throws IOException {
        return files.get(key);
    }

    @Override
    public void delete(String key) throws IOException {
        control("delete " + key);
        files.delete(key);
    }

    @Override
    public List<String> list(String prefix) throws IOException {
        return files.list(prefix);
    }

    @Override
    public String describe() {
        return "controlled " + files.describe();
    }
}
