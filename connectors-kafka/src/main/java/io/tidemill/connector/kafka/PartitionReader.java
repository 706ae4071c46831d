package io.tidemill.connector.kafka;

import io.tidemill.api.source.DeadLetter;
import io.tidemill.api.source.SourceOutput;
import io.tidemill.api.source.SplitReader;
import io.tidemill.connector.file.LineDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one partition. A fetch thread owns the consumer (Kafka's calls block) and hands what each
 * poll returned, with the consumer's position after it, to the reader over a queue of a few chunks;
 * {@link #read} runs on a cooperative worker and only takes chunks, never waiting.
 *
 * <p>Offsets: {@link #offset()} is the next offset to read. It moves to a record's offset + 1 when the
 * record is emitted, and to the chunk's position once the whole chunk is emitted, which also steps over
 * transaction markers and aborted records ({@code read_committed}). Only the worker thread touches it.
 */
final class PartitionReader<T> implements SplitReader<T> {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionReader.class);
    private static final int QUEUE_CHUNKS = 4;
    private static final Duration POLL = Duration.ofMillis(100);

    /** What one poll returned, and the consumer's position after it; {@code end}: the stop offset is reached. */
    private record Chunk(List<ConsumerRecord<byte[], byte[]>> records, long position, boolean end) {}

    private final KafkaPartitionSplit split;
    private final TopicPartition partition;
    private final LineDecoder<T> decoder;
    private final BlockingQueue<Chunk> chunks = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    private final Thread fetcher;
    /** The offset to commit to the group next, or -1. */
    private final AtomicLong toCommit = new AtomicLong(-1);
    private final boolean commitToGroup;
    private volatile Throwable failure;
    private volatile boolean closed;
    /** The fetch thread's consumer, for {@link #close} to wake it; only the fetch thread calls anything else. */
    private volatile KafkaConsumer<byte[], byte[]> consumer;
    /** The partition's end (read_committed: its last stable offset) at the last fetch, -1 before; fetch thread writes. */
    private volatile long endAtLastFetch = -1;
    private Chunk chunk;
    private int next;
    private long offset;

    PartitionReader(KafkaPartitionSplit split, long startAt, LineDecoder<T> decoder, Properties consumer,
                    boolean commitToGroup) {
        this.split = split;
        this.partition = new TopicPartition(split.topic(), split.partition());
        this.decoder = decoder;
        this.offset = startAt;
        this.commitToGroup = commitToGroup;
        this.fetcher = new Thread(() -> fetch(consumer, startAt), "tidemill-kafka-" + split.splitId());
        fetcher.setDaemon(true);
        fetcher.start();
    }

    /** The fetch thread: positions the consumer, then polls until closed or the stop offset. */
    private void fetch(Properties props, long startAt) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            this.consumer = consumer;
            if (closed) {
                return;
            }
            consumer.assign(List.of(partition));
            if (startAt >= 0) {
                consumer.seek(partition, startAt);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
            long position = consumer.position(partition);
            while (!closed) {
                commitIfAsked(consumer);
                if (position >= split.stopOffset()) {
                    handOver(new Chunk(List.of(), position, true));
                    return;
                }
                List<ConsumerRecord<byte[], byte[]>> records = consumer.poll(POLL).records(partition);
                long after = consumer.position(partition);
                consumer.currentLag(partition).ifPresent(lag -> endAtLastFetch = after + lag);
                if (!records.isEmpty() || after != position) {
                    handOver(new Chunk(records, after, false));
                    position = after;
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (!closed) {
                failure = e;
            }
        } catch (Throwable t) {
            failure = t;
        }
    }

    /** Waits for room in the queue (a slow job pauses the polling), until closed. */
    private void handOver(Chunk c) {
        try {
            while (!closed && !chunks.offer(c, 100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                // the queue is full: the reader has not taken the previous chunks yet
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private void commitIfAsked(KafkaConsumer<byte[], byte[]> consumer) {
        long c = toCommit.getAndSet(-1);
        if (c >= 0) {
            consumer.commitAsync(Map.of(partition, new OffsetAndMetadata(c)), (offsets, e) -> {
                if (e != null) {
                    LOG.warn("committing offset {} of {} to the consumer group failed (for monitoring only): {}", c,
                            partition, e.toString());
                }
            });
        }
    }

    @Override
    public long pendingRecords() {
        long end = endAtLastFetch;
        return end < 0 ? -1 : Math.max(0, Math.min(end, split.stopOffset()) - offset);
    }

    @Override
    public Status read(SourceOutput<T> out, int max) throws IOException {
        Throwable f = failure;
        if (f != null) {
            throw new IOException("reading Kafka partition " + partition + " failed: " + f, f);
        }
        int emitted = 0;
        while (emitted < max) {
            if (chunk == null) {
                chunk = chunks.poll();
                next = 0;
                if (chunk == null) {
                    return emitted > 0 ? Status.MORE : Status.NOTHING_AVAILABLE;
                }
            }
            if (chunk.end()) {
                offset = Math.max(offset, chunk.position());
                return Status.END;
            }
            List<ConsumerRecord<byte[], byte[]>> records = chunk.records();
            while (next < records.size() && emitted < max) {
                ConsumerRecord<byte[], byte[]> r = records.get(next++);
                emit(r, out);
                offset = r.offset() + 1;
                emitted++;
            }
            if (next == records.size()) {
                offset = Math.max(offset, chunk.position());
                chunk = null;
            }
        }
        return Status.MORE;
    }

    private void emit(ConsumerRecord<byte[], byte[]> r, SourceOutput<T> out) {
        byte[] value = r.value();
        if (value == null) {
            out.deadLetter(new DeadLetter(split.splitId(), r.offset(), "", "record without a value"));
            return;
        }
        T decoded;
        try {
            decoded = decoder.decode(value, 0, value.length);
        } catch (RuntimeException e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            out.deadLetter(new DeadLetter(split.splitId(), r.offset(), new String(value, StandardCharsets.UTF_8),
                    reason));
            return;
        }
        out.collect(decoded, r.timestamp());
    }

    @Override
    public long offset() {
        return offset;
    }

    @Override
    public void notifyCheckpointComplete(long offset) {
        if (commitToGroup && offset >= 0) {
            toCommit.set(offset);
        }
    }

    /** Stops the fetch thread without waiting for it (closing a consumer may block): it ends by itself. */
    @Override
    public void close() {
        closed = true;
        KafkaConsumer<byte[], byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
    }
}
