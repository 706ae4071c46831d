package io.tidemill.api.source;

import io.tidemill.api.sink.Sink;
import java.util.List;

/**
 * A source of records, divided into splits (file ranges, Kafka partitions, generator ranges) that
 * subtasks read independently. Splits are assigned to source subtasks round-robin; each split has its
 * own offset (recorded for checkpoints) and its own watermark.
 *
 * @param <T> record type
 */
public interface Source<T> {
    /** True when every split ends; the job then finishes once all sources have ended. */
    boolean isBounded();

    /** Divides the source into splits; {@code parallelism} is a hint of how many readers there are. */
    List<? extends SourceSplit> createSplits(int parallelism) throws Exception;

    /** Opens a reader of one split, positioned at {@code offset} ({@code 0} for the start). */
    SplitReader<T> createReader(SourceSplit split, long offset) throws Exception;

    /**
     * For a source whose input grows while the job runs (partitions added to a Kafka topic): a watch
     * for new splits, made for each source subtask; null (the default) if the splits are fixed.
     * {@code known} are all the splits the job has (of every subtask). Each new split is read by
     * exactly one subtask, chosen by its {@link SourceSplit#splitId()}, from offset {@code 0}.
     */
    default SplitDiscovery discoverSplits(List<? extends SourceSplit> known) throws Exception {
        return null;
    }

    /**
     * Checks that a split restored from a snapshot still reads the input it read when the snapshot was
     * taken, before anything is restored; throws, saying what changed, if not (a file replaced since a
     * killed run, say: resuming at the saved offset in other data would silently mix two inputs).
     * The default checks nothing.
     */
    default void verifyRestored(SourceSplit split) throws Exception {}

    /**
     * Where the readers' {@link SourceOutput#deadLetter dead letters} go, or null if the source has
     * none. Each source subtask writes its own writer of this sink, which runs in the source's task and
     * its checkpoints: a transactional writer pre-commits at the barrier that records the splits'
     * offsets and commits when the checkpoint completes, so dead letters are exactly-once like the
     * output of an exactly-once sink.
     */
    default Sink<DeadLetter> deadLetterSink() {
        return null;
    }
}
