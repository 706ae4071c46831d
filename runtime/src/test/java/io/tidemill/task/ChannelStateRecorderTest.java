package io.tidemill.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tidemill.api.function.KeySelector;
import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.RestoredState;
import io.tidemill.exchange.Batch;
import io.tidemill.exchange.Channel;
import io.tidemill.exchange.PriorityBarrier;
import io.tidemill.state.KeyGroups;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Unaligned channel-state recording driven directly over real channels (batches of two records):
 * which records a checkpoint's channel state holds, and that the task still gets every item once.
 */
@Timeout(10)
class ChannelStateRecorderTest {
    private static final int MAX_PARALLELISM = 8;

    private final Channel[] channels = {new Channel(16, 2), new Channel(16, 2)};

    private ChannelStateRecorder recorder(KeySelector<?, ?>... keys) {
        ChannelStateRecorder r = new ChannelStateRecorder(channels,
                keys.length == 0 ? new KeySelector<?, ?>[channels.length] : keys, MAX_PARALLELISM);
        r.setUnaligned(true);
        return r;
    }

    /** Producer side: records {@code from..to} (inclusive) into channel {@code c}, timestamps equal to values. */
    private void send(int c, long from, long to) {
        for (long v = from; v <= to; v++) {
            channels[c].add(v, v);
        }
    }

    /** What the task does on a priority barrier of channel {@code c}: the first starts the recording. */
    private void barrierArrives(ChannelStateRecorder r, int c) {
        PriorityBarrier b = channels[c].pollPriority();
        if (b.checkpointId() > r.checkpoint()) {
            r.start(b.checkpointId());
        }
        r.onBarrier(c, b);
    }

    /** The values of every item {@code take(c)} gives until the channel is empty. */
    private static List<Object> takeAll(ChannelStateRecorder r, int c) {
        List<Object> values = new ArrayList<>();
        Object item;
        while ((item = r.take(c)) != null) {
            Batch b = (Batch) item;
            for (int i = 0; i < b.size; i++) {
                values.add(b.values[i]);
            }
        }
        return values;
    }

    /** The in-flight records of a finished recording, decoded as a restore does: operator state, then key groups. */
    private static List<Object> inFlight(OperatorSnapshot s) throws Exception {
        RestoredState state = OperatorSnapshot.restored(s.checkpointId(), List.of(encodedAndDecoded(s)));
        List<DataInput> sections = new ArrayList<>(state.operatorStates());
        for (int kg = 0; kg < MAX_PARALLELISM; kg++) {
            if (state.keyGroup(kg) != null) {
                sections.add(state.keyGroup(kg));
            }
        }
        List<Object> values = new ArrayList<>();
        InFlightRecords.read(sections, new Emitter() {
            @Override
            public void emit(Object value, long timestamp) {
                assertEquals(value, timestamp);
                values.add(value);
            }

            @Override
            public void emitWatermark(long watermark) {}
        }).replay();
        return values;
    }

    @Test
    void givenRecordsQueuedBeforeTheBarrier_whenTheBarrierArrives_thenTheyAreRecordedAtOnceAndStillProcessedAfter()
            throws Exception {
        ChannelStateRecorder r = recorder();
        r.onEnd(1);
        send(0, 1, 4);
        channels[0].addPriorityBarrier(7);
        send(0, 5, 6);

        barrierArrives(r, 0);
        assertTrue(r.advance(), "complete without the task taking the queued records");

        assertEquals(List.of(1L, 2L, 3L, 4L), inFlight(r.finish()));
        assertFalse(r.isRecording());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), takeAll(r, 0), "every record reaches the task once");
    }

    @Test
    void givenAnItemAfterABarrierNotHandledYet_thenItIsHeldBackAndLeftOutOfTheChannelState() throws Exception {
        ChannelStateRecorder r = recorder();
        send(0, 1, 2);
        channels[0].addPriorityBarrier(7);
        send(0, 3, 4);
        r.onEnd(1);

        assertEquals(List.of(1L, 2L), batchValues(r.take(0)), "before the barrier: processed");
        assertSame(ChannelStateRecorder.HELD_BACK, r.take(0), "after it: waits for the snapshot");
        barrierArrives(r, 0);
        assertTrue(r.advance());

        assertEquals(List.of(), inFlight(r.finish()), "processed before the snapshot, or after the barrier");
        assertEquals(List.of(3L, 4L), takeAll(r, 0));
    }

    @Test
    void givenTheBarrierOfOneChannelFirst_thenRecordsTakenFromTheOtherUntilItsBarrierAreRecorded() throws Exception {
        ChannelStateRecorder r = recorder();
        send(0, 1, 2);
        channels[0].addPriorityBarrier(7);
        send(1, 11, 14);

        barrierArrives(r, 0);
        assertFalse(r.advance(), "channel 1's barrier has not arrived");
        assertEquals(List.of(11L, 12L), batchValues(r.take(1)), "taken while recording");
        channels[1].addPriorityBarrier(7);
        send(1, 15, 16);
        barrierArrives(r, 1);
        assertTrue(r.advance());

        List<Object> recorded = inFlight(r.finish());
        recorded.sort(null);
        assertEquals(List.of(1L, 2L, 11L, 12L, 13L, 14L), recorded);
        assertEquals(List.of(13L, 14L, 15L, 16L), takeAll(r, 1));
    }

    @Test
    void givenAKeyedChannel_thenItsRecordsGoToTheSectionsOfTheirKeyGroups() throws Exception {
        ChannelStateRecorder r = recorder(v -> v, null);
        send(0, 1, 4);
        channels[0].addPriorityBarrier(7);
        r.onEnd(1);
        barrierArrives(r, 0);
        assertTrue(r.advance());

        OperatorSnapshot.Decoded d = encodedAndDecoded(r.finish());

        assertEquals(0, d.operatorState().length);
        for (long v = 1; v <= 4; v++) {
            assertTrue(d.keyGroups().containsKey(KeyGroups.keyGroupOf(v, MAX_PARALLELISM)), "key group of " + v);
        }
    }

    @Test
    void givenAChannelThatEnded_thenTheRecordingDoesNotWaitForItsBarrier() {
        ChannelStateRecorder r = recorder();
        channels[0].addPriorityBarrier(7);
        barrierArrives(r, 0);
        assertFalse(r.advance());

        r.onEnd(1);

        assertTrue(r.advance());
    }

    @Test
    void givenNoRecording_thenItemsPassThroughAndNothingIsComplete() {
        ChannelStateRecorder r = recorder();
        send(0, 1, 2);

        assertEquals(List.of(1L, 2L), takeAll(r, 0));
        assertNull(r.take(0));
        assertFalse(r.advance());
    }

    /** The snapshot as a task blob holds it, read back. */
    private static OperatorSnapshot.Decoded encodedAndDecoded(OperatorSnapshot s) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        s.writeTo(new DataOutputStream(bytes));
        return OperatorSnapshot.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    private static List<Object> batchValues(Object item) {
        Batch b = (Batch) item;
        List<Object> values = new ArrayList<>();
        for (int i = 0; i < b.size; i++) {
            values.add(b.values[i]);
        }
        return values;
    }
}
