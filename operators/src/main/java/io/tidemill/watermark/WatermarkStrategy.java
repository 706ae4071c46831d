package io.tidemill.watermark;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * How records get their event timestamps and how watermarks are derived from them, per source split.
 *
 * <pre>{@code
 * WatermarkStrategy<Bid> strategy = WatermarkStrategy
 *         .<Bid>forBoundedOutOfOrderness(Duration.ofSeconds(5))
 *         .withTimestampAssigner((bid, ts) -> bid.dateTime())
 *         .withIdleness(Duration.ofSeconds(10));
 * }</pre>
 *
 * <p>Bounded out-of-orderness {@code B} gives watermark {@code maxTimestamp - B - 1}, as in Flink:
 * a window {@code [start, end)} fires once a record with timestamp {@code >= end + B} was seen. A
 * split that emits nothing for the idleness timeout is marked idle and stops holding back the
 * watermark until it emits again.
 */
public final class WatermarkStrategy<T> {
    private final Supplier<WatermarkGenerator> generators;
    private final TimestampAssigner<T> assigner;
    private final Duration idleness;
    private final boolean processingTime;

    private WatermarkStrategy(Supplier<WatermarkGenerator> generators, TimestampAssigner<T> assigner,
                              Duration idleness, boolean processingTime) {
        this.generators = generators;
        this.assigner = assigner;
        this.idleness = idleness;
        this.processingTime = processingTime;
    }

    /** Timestamps may arrive up to {@code maxOutOfOrderness} late without being late data. */
    public static <T> WatermarkStrategy<T> forBoundedOutOfOrderness(Duration maxOutOfOrderness) {
        long bound = maxOutOfOrderness.toMillis();
        if (bound < 0) {
            throw new IllegalArgumentException("maxOutOfOrderness must not be negative: " + maxOutOfOrderness);
        }
        return new WatermarkStrategy<>(() -> new BoundedOutOfOrderness(bound), null, null, false);
    }

    /** Timestamps never decrease within a split. */
    public static <T> WatermarkStrategy<T> forMonotonousTimestamps() {
        return forBoundedOutOfOrderness(Duration.ZERO);
    }

    /**
     * No event time: records are stamped with processing time when read (the wall clock, or the
     * cluster's {@link io.tidemill.api.ProcessingClock} in tests) and the watermark follows it. Use with
     * processing-time windows.
     */
    public static <T> WatermarkStrategy<T> processingTime() {
        return new WatermarkStrategy<>(() -> new BoundedOutOfOrderness(0), (e, ts) -> System.currentTimeMillis(),
                null, true);
    }

    /** No watermarks at all (event time never progresses until the end of a bounded input). */
    public static <T> WatermarkStrategy<T> noWatermarks() {
        return new WatermarkStrategy<>(NoWatermarks::new, null, null, false);
    }

    public WatermarkStrategy<T> withTimestampAssigner(TimestampAssigner<T> timestampAssigner) {
        return new WatermarkStrategy<>(generators, Objects.requireNonNull(timestampAssigner), idleness,
                processingTime);
    }

    public WatermarkStrategy<T> withIdleness(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("idleness timeout must be positive: " + timeout);
        }
        return new WatermarkStrategy<>(generators, assigner, timeout, processingTime);
    }

    public WatermarkGenerator createGenerator() {
        return generators.get();
    }

    /** The timestamp assigner, or null to keep the source's timestamps. */
    public TimestampAssigner<T> timestampAssigner() {
        return assigner;
    }

    /** Idleness timeout in milliseconds, or {@code -1} when splits never go idle. */
    public long idlenessMillis() {
        return idleness == null ? -1 : idleness.toMillis();
    }

    /**
     * False for {@link #noWatermarks()} without a timestamp assigner: the records then carry no
     * event time, and event-time windows and joins on them are refused when the pipeline is built.
     */
    public boolean givesEventTime() {
        return assigner != null || !(generators.get() instanceof NoWatermarks);
    }

    public boolean isProcessingTime() {
        return processingTime;
    }

    private static final class BoundedOutOfOrderness implements WatermarkGenerator {
        private final long bound;
        private long maxTimestamp;

        BoundedOutOfOrderness(long bound) {
            this.bound = bound;
            this.maxTimestamp = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(long timestamp) {
            if (timestamp > maxTimestamp) {
                maxTimestamp = timestamp;
            }
        }

        @Override
        public long currentWatermark() {
            return maxTimestamp - bound - 1;
        }
    }

    private static final class NoWatermarks implements WatermarkGenerator {
        @Override
        public void onEvent(long timestamp) {}

        @Override
        public long currentWatermark() {
            return Long.MIN_VALUE;
        }
    }
}
