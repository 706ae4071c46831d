package io.tidemill.net;

import io.tidemill.exchange.Barrier;
import io.tidemill.exchange.Batch;
import io.tidemill.exchange.Channel;
import io.tidemill.exchange.Control;
import io.tidemill.exchange.PriorityBarrier;
import io.tidemill.watermark.Watermark;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/** Test support: data-plane nodes in one JVM, and scripted producers and checking consumers. */
final class Nodes {
    private Nodes() {}

    static final DataPlane.Config CONFIG = new DataPlane.Config("test-cluster", "s3cret");

    /** A record value as a job would send: a string and a long. */
    record Trade(String symbol, long amount) {}

    static Trade trade(long i) {
        return new Trade("sym-" + (i % 1000), i);
    }

    /** One node: its own Vert.x and data plane, and the failures its listener was told. */
    static final class Node implements AutoCloseable {
        final Vertx vertx = Vertx.vertx();
        final DataPlane plane;
        final Map<Long, String> failures = new ConcurrentHashMap<>();
        final Map<Long, DataPlane.Peer> lostPeers = new ConcurrentHashMap<>();

        Node(DataPlane.Config config) {
            plane = DataPlane.start(vertx, "127.0.0.1", 0, config, (execution, reason, lostPeer) -> {
                if (lostPeer != null) {
                    lostPeers.put(execution, lostPeer);
                }
                failures.put(execution, reason);
            });
        }

        Node() {
            this(CONFIG);
        }

        DataPlane.Peer peer() {
            return plane.self();
        }

        @Override
        public void close() throws Exception {
            plane.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    /** Registers a channel from {@code producer} to {@code consumer}; returns {outbound, inbound}. */
    static Channel[] connect(DataPlane.ChannelKey key, Node producer, Node consumer, int capacity, int batchSize)
            throws Exception {
        Channel out = new Channel(capacity, batchSize);
        Channel in = new Channel(capacity, batchSize);
        consumer.plane.registerInbound(key, producer.peer(), in, Nodes.class.getClassLoader())
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        producer.plane.registerOutbound(key, consumer.peer(), out)
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new Channel[] {out, in};
    }

    /** A machine that does a bounded amount of work per step; true when finished. */
    interface Stepper {
        boolean step();
    }

    /** Runs steppers round robin on one thread until all finish, keeping the first failure. */
    static final class Runner extends Thread {
        private final List<Stepper> steppers;
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile boolean finished;

        Runner(Stepper... steppers) {
            this.steppers = new ArrayList<>(List.of(steppers));
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            try {
                while (!steppers.isEmpty() && !isInterrupted()) {
                    boolean progress = steppers.removeIf(Stepper::step);
                    if (!progress) {
                        LockSupport.parkNanos(20_000); // pacing of the test's own loop, not a wait for a result
                    }
                }
            } catch (Throwable t) {
                failure.set(t);
            }
            finished = true;
        }

        boolean finished() {
            if (failure.get() != null) {
                throw new AssertionError(failure.get());
            }
            return finished;
        }
    }

    /**
     * Writes {@code records} trades {@code i} (timestamp {@code i}) into a channel, one batch per step,
     * stopping while the channel is blocked, with control items at fixed record counts: a watermark
     * every 100,000 records, a barrier at 300,000, IDLE at 500,000, a priority barrier at 600,000, and
     * at the end the maximal watermark and END_OF_INPUT.
     */
    static final class ScriptedProducer implements Stepper {
        static final long BARRIER_AT = 300_000;
        static final long IDLE_AT = 500_000;
        static final long PRIORITY_AT = 600_000;
        private final Channel channel;
        private final long records;
        private final int batchSize;
        private long next;
        private boolean ended;

        ScriptedProducer(Channel channel, long records, int batchSize) {
            this.channel = channel;
            this.records = records;
            this.batchSize = batchSize;
        }

        @Override
        public boolean step() {
            if (!channel.drain()) {
                return false;
            }
            if (next == records) {
                if (!ended) {
                    channel.addControl(Watermark.MAX);
                    channel.addControl(Control.END_OF_INPUT);
                    ended = true;
                }
                return channel.drain();
            }
            if (next > 0 && next % 100_000 == 0) {
                channel.addControl(new Watermark(next - 1));
            }
            if (next == BARRIER_AT) {
                channel.addControl(new Barrier(7));
            }
            if (next == IDLE_AT) {
                channel.addControl(Control.IDLE);
            }
            if (next == PRIORITY_AT) {
                channel.addPriorityBarrier(8);
            }
            long end = Math.min(records, next + batchSize);
            for (; next < end; next++) {
                channel.add(trade(next), next);
            }
            return false;
        }
    }

    /**
     * Takes a channel's items and checks them against {@link ScriptedProducer}'s script: records in
     * order and in full batches, control items after the right record, and the priority barrier's
     * sequence pointing just after the last item the producer had sent before it.
     */
    static final class CheckingConsumer implements Stepper {
        private final Channel channel;
        private final int batchSize;
        private final int itemsPerStep;
        volatile boolean paused;
        volatile long records;
        long batches;
        final List<String> controls = new CopyOnWriteArrayList<>();
        PriorityBarrier priority;
        /** Items taken while no priority barrier was visible (polled or pending). */
        long takenWithoutBarrier;
        /** Records taken after each item: {@code recordsAfter[n]} after the first n items. */
        private long[] recordsAfter = new long[1024];
        boolean ended;

        CheckingConsumer(Channel channel, int batchSize, int itemsPerStep) {
            this.channel = channel;
            this.batchSize = batchSize;
            this.itemsPerStep = itemsPerStep;
        }

        @Override
        public boolean step() {
            if (paused) {
                return false;
            }
            if (priority == null) {
                priority = channel.pollPriority();
            }
            for (int k = 0; k < itemsPerStep; k++) {
                Object item = channel.poll();
                if (item == null) {
                    return false;
                }
                if (item instanceof Batch b) {
                    if (b.size != batchSize) {
                        throw new AssertionError("a batch of " + b.size + " records at record " + records);
                    }
                    for (int i = 0; i < b.size; i++) {
                        if (b.timestamps[i] != records || !b.values[i].equals(trade(records))) {
                            throw new AssertionError("record " + records + " was " + b.values[i] + " @ "
                                    + b.timestamps[i]);
                        }
                        records++;
                    }
                    batches++;
                } else {
                    controls.add(records + ":" + item);
                    ended = item == Control.END_OF_INPUT;
                }
                long taken = channel.taken();
                if (priority == null && channel.peekPriority() == null) {
                    takenWithoutBarrier = taken;
                }
                if (taken >= recordsAfter.length) {
                    recordsAfter = Arrays.copyOf(recordsAfter, recordsAfter.length * 2);
                }
                recordsAfter[(int) taken] = records;
                if (ended) {
                    return true;
                }
            }
            return false;
        }

        /** The records the producer had sent before the priority barrier, by its sequence. */
        long recordsBeforePriority() {
            return recordsAfter[(int) priority.sequence()];
        }
    }
}
