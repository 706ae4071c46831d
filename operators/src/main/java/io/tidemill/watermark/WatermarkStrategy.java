package io.tidemill.watermark;

import java.time.Duration;
import java.util.Objects;

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
    private final WatermarkGeneratorSupplier<T> generators;
    private final TimestampAssigner<T> assigner;
    private final Duration idleness;
    private final boolean processingTime;
    private final Alignment alignment;

    /**
     * A watermark alignment group: a source split whose watermark is more than {@code maxDriftMillis}
     * ahead of the group's slowest is not read until the group catches up.
     *
     * @param updateIntervalMillis how often a source task looks at the group's slowest watermark again
     */
    public record Alignment(String group, long maxDriftMillis, long updateIntervalMillis) {
        public Alignment {
            Objects.requireNonNull(group, "group");
            if (group.isBlank() || maxDriftMillis < 0 || updateIntervalMillis <= 0) {
                throw new IllegalArgumentException("watermark alignment needs a group name, a max drift >= 0 and an "
                        + "update interval > 0: '" + group + "', " + maxDriftMillis + " ms, " + updateIntervalMillis
                        + " ms");
            }
        }
    }

    private WatermarkStrategy(WatermarkGeneratorSupplier<T> generators, TimestampAssigner<T> assigner,
                              Duration idleness, boolean processingTime, Alignment alignment) {
        this.alignment = alignment;
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
        return new WatermarkStrategy<>(() -> new BoundedOutOfOrderness<>(bound), null, null, false, null);
    }

    /**
     * Watermarks from a generator of your own, periodic or punctuated (see {@link WatermarkGenerator});
     * {@code generators} is called once per split.
     */
    public static <T> WatermarkStrategy<T> forGenerator(WatermarkGeneratorSupplier<T> generators) {
        return new WatermarkStrategy<>(Objects.requireNonNull(generators, "generators"), null, null, false, null);
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
        return new WatermarkStrategy<>(() -> new BoundedOutOfOrderness<>(0), (e, ts) -> System.currentTimeMillis(),
                null, true, null);
    }

    /** No watermarks at all (event time never progresses until the end of a bounded input). */
    public static <T> WatermarkStrategy<T> noWatermarks() {
        return new WatermarkStrategy<>(NoWatermarks::new, null, null, false, null);
    }

    public WatermarkStrategy<T> withTimestampAssigner(TimestampAssigner<T> timestampAssigner) {
        return new WatermarkStrategy<>(generators, Objects.requireNonNull(timestampAssigner), idleness,
                processingTime, alignment);
    }

    public WatermarkStrategy<T> withIdleness(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("idleness timeout must be positive: " + timeout);
        }
        return new WatermarkStrategy<>(generators, assigner, timeout, processingTime, alignment);
    }

    /**
     * Aligns the watermarks of every source with this strategy and {@code group} (Flink 1.15+'s
     * {@code withWatermarkAlignment}): a split whose watermark runs more than {@code maxDrift} ahead of
     * the slowest in the group is paused, so one lagging split does not make the others' window state
     * grow without bound; it resumes when the group's slowest catches up. Idle and finished splits do
     * not hold the group back. The group's slowest watermark is looked at again every
     * {@code updateInterval} of processing time (with a {@code ManualClock}, when the test moves it). Sources are aligned within one node (JVM): in a cluster, the splits on each
     * node are aligned with each other.
     */
    public WatermarkStrategy<T> withWatermarkAlignment(String group, Duration maxDrift, Duration updateInterval) {
        return new WatermarkStrategy<>(generators, assigner, idleness, processingTime,
                new Alignment(group, maxDrift.toMillis(), updateInterval.toMillis()));
    }

    /** As {@link #withWatermarkAlignment(String, Duration, Duration)}, updated every second (Flink's default). */
    public WatermarkStrategy<T> withWatermarkAlignment(String group, Duration maxDrift) {
        return withWatermarkAlignment(group, maxDrift, Duration.ofSeconds(1));
    }

    /** The alignment group of sources with this strategy, or null. */
    public Alignment alignment() {
        return alignment;
    }

    /** A new generator, for one split. */
    public WatermarkGenerator<T> createGenerator() {
        return generators.createWatermarkGenerator();
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
        return assigner != null || !(generators.createWatermarkGenerator() instanceof NoWatermarks);
    }

    public boolean isProcessingTime() {
        return processingTime;
    }

    /** As Flink's {@code BoundedOutOfOrdernessWatermarks}: periodically, the largest timestamp - bound - 1. */
    private static final class BoundedOutOfOrderness<T> implements WatermarkGenerator<T> {
        private final long bound;
        private long maxTimestamp;

        BoundedOutOfOrderness(long bound) {
            this.bound = bound;
            this.maxTimestamp = Long.MIN_VALUE + bound + 1;
        }

        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {
            if (timestamp > maxTimestamp) {
                maxTimestamp = timestamp;
            }
        }

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {
            output.emitWatermark(maxTimestamp - bound - 1);
        }
    }

    private static final class NoWatermarks<T> implements WatermarkGenerator<T> {
        @Override
        public void onEvent(T event, long timestamp, WatermarkOutput output) {}

        @Override
        public void onPeriodicEmit(WatermarkOutput output) {}
    }
}
