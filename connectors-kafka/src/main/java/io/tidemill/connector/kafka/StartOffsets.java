package io.tidemill.connector.kafka;

/**
 * Where a {@link KafkaSource} starts reading the partitions it finds when a job starts without a
 * checkpoint (a restored job starts at the checkpoint's offsets; a partition added while the job
 * runs is read from its beginning).
 */
public record StartOffsets(Kind kind, long timestamp) {
    /** The kinds of starting point. */
    public enum Kind {
        /** The oldest record still in the partition. */
        EARLIEST,
        /** After the last record now in the partition: only what is written from now on. */
        LATEST,
        /** The first record with a timestamp at or after {@link #timestamp()} (the end if none). */
        TIMESTAMP,
        /** The consumer group's committed offsets; partitions without one start at the earliest. */
        COMMITTED
    }

    public static StartOffsets earliest() {
        return new StartOffsets(Kind.EARLIEST, 0);
    }

    public static StartOffsets latest() {
        return new StartOffsets(Kind.LATEST, 0);
    }

    public static StartOffsets timestamp(long epochMillis) {
        return new StartOffsets(Kind.TIMESTAMP, epochMillis);
    }

    public static StartOffsets committed() {
        return new StartOffsets(Kind.COMMITTED, 0);
    }
}
