package io.tidemill.operator;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread of its own for one sink writer: the task hands each call over and goes on, the thread runs
 * the calls in the order they were handed over, so the writer's blocking (a Kafka producer waiting for
 * metadata, a flush, a transaction's commit) never holds up the task's cooperative worker.
 *
 * <p>Invariants: the writer is only ever called on this thread, one call at a time, in order. The
 * first failure stops the writing: later records are dropped, and every later check on the task's
 * thread throws it, so the job fails with it. Records waiting are counted, so that the task can stop
 * handing records over before too many wait ({@link #queued}); a call's result comes back as a
 * future, completed on this thread.
 */
final class SinkWriterThread {
    private static final Logger LOG = LoggerFactory.getLogger(SinkWriterThread.class);

    /** A call on the writer. */
    @FunctionalInterface
    interface WriterCall {
        void run() throws Exception;
    }

    private final String name;
    private final ExecutorService thread;
    private final AtomicInteger queued = new AtomicInteger();
    private volatile Exception failure;
    private volatile boolean closed;

    SinkWriterThread(String name) {
        this.name = name;
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Hands a record's write over; it is skipped if an earlier call failed or the writer is closing. */
    void write(WriterCall write) {
        queued.incrementAndGet();
        thread.execute(() -> {
            try {
                if (failure == null && !closed) {
                    write.run();
                }
            } catch (Exception e) {
                fail(e);
            } finally {
                queued.decrementAndGet();
            }
        });
    }

    /** Hands a call over; its result, or its failure (which also fails the writer), comes back in the future. */
    <X> CompletableFuture<X> call(Callable<X> call) {
        CompletableFuture<X> result = new CompletableFuture<>();
        thread.execute(() -> {
            Exception before = failure;
            if (before != null) {
                result.completeExceptionally(before);
                return;
            }
            try {
                result.complete(call.call());
            } catch (Exception e) {
                fail(e);
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void fail(Exception e) {
        if (failure == null) {
            failure = e;
            // The task sees it at its next call; said here too, in case none comes (the job is stopping).
            LOG.warn("{}: the sink writer failed, it writes nothing more: {}", name, e.toString());
        }
    }

    /** Records handed over and not written yet. */
    int queued() {
        return queued.get();
    }

    /** Throws the first failure of a call on the writer, if any. */
    void checkFailure() throws Exception {
        Exception e = failure;
        if (e != null) {
            throw e;
        }
    }

    /**
     * Closes the writer on its thread after the calls handed over before (records still waiting are
     * dropped: only a finished writer's output counts), then the thread ends. Does not wait.
     */
    void close(WriterCall close) {
        if (closed) {
            return;
        }
        closed = true;
        thread.execute(() -> {
            try {
                close.run();
            } catch (Exception e) {
                // Nobody waits for the close (the task ended or failed already): say it here.
                LOG.warn("{}: closing the sink writer failed: {}", name, e.toString());
            }
        });
        thread.shutdown();
    }
}
