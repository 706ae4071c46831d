package io.tidemill.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.tidemill.checkpoint.OperatorSnapshot;
import io.tidemill.checkpoint.RestoredState;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The synchronous part of a keyed-state snapshot only captures the state; the task mutates it
 * before the deferred part encodes it, and the checkpoint still holds the state as of the barrier.
 */
class KeyedStateSnapshotTest {
    private static final int MAX_PARALLELISM = 128;

    @Test
    void aSnapshotDroppedUnwrittenStopsCopying() throws Exception {
        KeyedStateBackend backend = new KeyedStateBackend(new KeyGroupRange(0, MAX_PARALLELISM - 1), MAX_PARALLELISM);
        ValueState<long[]> counter = backend.state(StateDescriptor.value("counter"));
        backend.setCurrentKey(7L);
        long[] original = {1};
        counter.update(original);

        OperatorSnapshot kept = new OperatorSnapshot(1);
        backend.snapshot(kept);
        assertNotSame(original, counter.value(), "shared with a live snapshot: copied before it is handed out");
        kept.discard(); // e.g. the checkpoint was aborted before this task's blob was encoded

        long[] owned = counter.value();
        OperatorSnapshot dropped = new OperatorSnapshot(2);
        backend.snapshot(dropped);
        dropped.discard();
        assertSame(owned, counter.value(), "no live snapshot: no copy");
    }

    @Test
    void writesTheStateAsOfTheBarrierWhateverTheTaskDoesBeforeItIsEncoded() throws Exception {
        KeyedStateBackend backend = new KeyedStateBackend(new KeyGroupRange(0, MAX_PARALLELISM - 1), MAX_PARALLELISM);
        ValueState<long[]> counters = backend.state(StateDescriptor.value("counters"));
        ListState<String> lists = backend.state(StateDescriptor.list("lists"));
        MapState<String, Long> maps = backend.state(StateDescriptor.map("maps"));
        for (long k = 0; k < 500; k++) {
            backend.setCurrentKey(k);
            counters.update(new long[] {k});
            lists.add("a" + k);
            maps.put("m", k);
        }

        OperatorSnapshot snapshot = new OperatorSnapshot(1);
        backend.snapshot(snapshot); // synchronous part only

        for (long k = 0; k < 1000; k++) { // the task goes on: in-place updates, removals, new keys
            backend.setCurrentKey(k);
            long[] c = counters.value();
            if (c == null) {
                counters.update(new long[] {-1});
            } else {
                c[0] += 1_000;
            }
            lists.add("b" + k);
            maps.put("m", -k);
            maps.put("n", k);
            if (k % 3 == 0) {
                counters.clear();
            }
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        snapshot.writeTo(new DataOutputStream(bytes)); // the deferred part runs here
        OperatorSnapshot.Decoded decoded = OperatorSnapshot.read(
                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        RestoredState restored = OperatorSnapshot.restored(1, List.of(decoded));

        KeyedStateBackend back = new KeyedStateBackend(new KeyGroupRange(0, MAX_PARALLELISM - 1), MAX_PARALLELISM);
        back.restore(restored);
        ValueState<long[]> c2 = back.state(StateDescriptor.value("counters"));
        ListState<String> l2 = back.state(StateDescriptor.list("lists"));
        MapState<String, Long> m2 = back.state(StateDescriptor.map("maps"));
        for (long k = 0; k < 1000; k++) {
            back.setCurrentKey(k);
            if (k < 500) {
                assertArrayEquals(new long[] {k}, c2.value(), "key " + k);
                assertEquals(List.of("a" + k), l2.get());
                assertEquals(Map.of("m", k), m2.entries());
            } else {
                assertNull(c2.value());
                assertEquals(List.of(), l2.get());
            }
        }
        assertEquals(1500, back.size());

        // and the live state has every change
        backend.setCurrentKey(1L);
        assertArrayEquals(new long[] {1_001}, counters.value());
        assertEquals(List.of("a1", "b1"), lists.get());
    }
}
