package io.tidemill.testing;

import io.tidemill.api.DataStream;
import io.tidemill.api.OutputTag;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.graph.Node;
import io.tidemill.operator.Operator;
import io.tidemill.operator.OperatorContext;
import io.tidemill.operator.Output;
import io.tidemill.operator.SubtaskContext;
import io.tidemill.state.KeyGroupRange;
import io.tidemill.state.KeyGroups;
import io.tidemill.state.KeyedStateBackend;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one operator subtask by hand, as Flink's {@code OneInputStreamOperatorTestHarness} does: feed
 * records, watermarks and processing time, read what it emitted (records with their timestamps,
 * watermarks, side outputs), make its output full to see it pause, and snapshot it (through the real
 * binary encoding) to restore into a fresh instance, at another parallelism too.
 *
 * <pre>{@code
 * OperatorHarness<Long, Long> h = OperatorHarness.of(stream, 0, 1);   // the operator building stream
 * h.processElement(5L, 5);
 * h.processWatermark(10);
 * assertEquals(List.of(new Emitted.Record<>(1L, 9), new Emitted.Watermark(10)), h.output());
 * }</pre>
 *
 * @param <IN> input record type
 * @param <OUT> output record type
 */
public final class OperatorHarness<IN, OUT> implements AutoCloseable {
    /** What the operator emitted, in order. */
    public sealed interface Emitted {
        /** A record with its timestamp. */
        record Record<T>(T value, long timestamp) implements Emitted {}

        /** A watermark. */
        record Watermark(long timestamp) implements Emitted {}
    }

    private final Operator<IN, OUT> operator;
    private final KeyedStateBackend state;
    private final List<Emitted> output = new ArrayList<>();
    private final Map<String, List<Emitted.Record<Object>>> sideOutputs = new HashMap<>();
    private long processingTime;
    private long lateDropped;
    private boolean full;

    private OperatorHarness(Operator<IN, OUT> operator, KeyedStateBackend state) {
        this.operator = operator;
        this.state = state;
    }

    /**
     * The operator that produces {@code stream} (built by the pipeline API as the engine would),
     * as subtask {@code subtask} of {@code parallelism}, opened, with a fresh state.
     */
    public static <IN, OUT> OperatorHarness<IN, OUT> of(DataStream<OUT> stream, int subtask, int parallelism)
            throws Exception {
        return restored(stream, subtask, parallelism, List.of());
    }

    /**
     * As {@link #of}, restored from snapshots of the operator's subtasks (of any parallelism): this
     * subtask takes the key groups it now owns.
     */
    public static <IN, OUT> OperatorHarness<IN, OUT> restored(DataStream<OUT> stream, int subtask, int parallelism,
                                                              List<Snapshot> snapshots) throws Exception {
        return create(stream.node(), stream.pipeline().maxParallelism(), subtask, parallelism, snapshots);
    }

    /**
     * The operator feeding {@code consumer} (its first input), for the hidden steps the API builds,
     * such as the local step of a pre-aggregated window; opened, with a fresh state.
     */
    public static <IN, OUT> OperatorHarness<IN, OUT> ofInputOf(DataStream<?> consumer, int subtask, int parallelism)
            throws Exception {
        return create(consumer.node().inputs().get(0).node(), consumer.pipeline().maxParallelism(), subtask,
                parallelism, List.of());
    }

    @SuppressWarnings("unchecked")
    private static <IN, OUT> OperatorHarness<IN, OUT> create(Node node, int maxParallelism, int subtask,
                                                             int parallelism, List<Snapshot> snapshots)
            throws Exception {
        KeyGroupRange range = KeyGroups.rangeOf(subtask, maxParallelism, parallelism);
        KeyedStateBackend state = node.isKeyed() ? new KeyedStateBackend(range, maxParallelism) : null;
        OperatorHarness<IN, OUT> h = new OperatorHarness<>((Operator<IN, OUT>) node.factory().create(), state);
        h.operator.open(h.context(node.name(), subtask, parallelism), h.new HarnessOutput());
        List<OperatorSnapshot.Decoded> decoded = new ArrayList<>();
        for (Snapshot s : snapshots) {
            decoded.add(OperatorSnapshot.read(new DataInputStream(new ByteArrayInputStream(s.bytes()))));
        }
        RestoredState restored = decoded.isEmpty() ? OperatorSnapshot.EMPTY
                : OperatorSnapshot.restored(snapshots.get(0).checkpointId(), decoded);
        if (!decoded.isEmpty()) {
            h.operator.restoreState(restored);
        }
        return h;
    }

    /** One subtask's snapshot, encoded as in a checkpoint. */
    public record Snapshot(long checkpointId, byte[] bytes) {}

    public void processElement(IN value, long timestamp) throws Exception {
        requireNoPendingOutput();
        operator.processElement(value, timestamp);
        operator.finishBatch();
    }

    public void processWatermark(long watermark) throws Exception {
        requireNoPendingOutput();
        operator.processWatermark(watermark);
    }

    /** Moves the processing-time clock and fires what became due. */
    public void setProcessingTime(long now) throws Exception {
        requireNoPendingOutput();
        processingTime = now;
        if (operator.nextProcessingTime() <= now) {
            operator.onProcessingTime(now);
        }
    }

    /** The earliest processing time the operator wants to be called at. */
    public long nextProcessingTime() {
        return operator.nextProcessingTime();
    }

    public void endInput() throws Exception {
        requireNoPendingOutput();
        operator.endInput();
    }

    /** Makes the operator's output report itself full (or not), as a backpressured task's does. */
    public void setOutputFull(boolean full) {
        this.full = full;
    }

    public boolean hasPendingOutput() {
        return operator.hasPendingOutput();
    }

    public void resumeOutput() throws Exception {
        operator.resumeOutput();
    }

    /** The synchronous and the deferred part of a snapshot, encoded. */
    public Snapshot snapshot(long checkpointId) throws Exception {
        OperatorSnapshot s = new OperatorSnapshot(checkpointId);
        operator.snapshotState(s);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.writeTo(new DataOutputStream(bytes));
        return new Snapshot(checkpointId, bytes.toByteArray());
    }

    /** Everything emitted so far, in order. */
    public List<Emitted> output() {
        return List.copyOf(output);
    }

    /** The records emitted so far, without timestamps and watermarks. */
    @SuppressWarnings("unchecked")
    public List<OUT> values() {
        List<OUT> values = new ArrayList<>();
        for (Emitted e : output) {
            if (e instanceof Emitted.Record<?> r) {
                values.add((OUT) r.value());
            }
        }
        return values;
    }

    /** The watermarks emitted so far. */
    public List<Long> watermarks() {
        List<Long> w = new ArrayList<>();
        for (Emitted e : output) {
            if (e instanceof Emitted.Watermark m) {
                w.add(m.timestamp());
            }
        }
        return w;
    }

    public void clearOutput() {
        output.clear();
        sideOutputs.clear();
    }

    @SuppressWarnings("unchecked")
    public <X> List<Emitted.Record<X>> sideOutput(OutputTag<X> tag) {
        return (List<Emitted.Record<X>>) (List<?>) sideOutputs.getOrDefault(tag.id(), List.of());
    }

    /** Records counted as late and dropped. */
    public long lateDropped() {
        return lateDropped;
    }

    /** Keys holding keyed state (of the keyed state backend; window contents are kept elsewhere). */
    public long keyedStateSize() {
        return state == null ? 0 : state.size();
    }

    @Override
    public void close() throws Exception {
        operator.close();
    }

    private void requireNoPendingOutput() {
        if (operator.hasPendingOutput()) {
            throw new IllegalStateException("the operator has pending output: resumeOutput() first");
        }
    }

    private OperatorContext context(String name, int subtask, int parallelism) {
        return new SubtaskContext(name, subtask, parallelism, state, () -> processingTime, () -> lateDropped++);
    }

    private final class HarnessOutput implements Output<OUT> {
        @Override
        public void emit(OUT value, long timestamp) {
            output.add(new Emitted.Record<>(value, timestamp));
        }

        @Override
        public void emitWatermark(long watermark) {
            output.add(new Emitted.Watermark(watermark));
        }

        @Override
        public <X> void emitSide(OutputTag<X> tag, X value, long timestamp) {
            sideOutputs.computeIfAbsent(tag.id(), k -> new ArrayList<>()).add(new Emitted.Record<>(value, timestamp));
        }

        @Override
        public boolean isFull() {
            return full;
        }
    }
}
