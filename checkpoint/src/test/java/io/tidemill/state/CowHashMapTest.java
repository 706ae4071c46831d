package io.tidemill.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CowHashMapTest {
    /** Keys with few distinct hash codes, so that chains are long and path copying is exercised. */
    record CollidingKey(int id) {
        @Override
        public int hashCode() {
            return id % 7;
        }
    }

    private static Map<CollidingKey, Long> contents(CowHashMap.Snapshot<CollidingKey, long[]> s) throws IOException {
        Map<CollidingKey, Long> m = new HashMap<>();
        s.forEach((k, v) -> m.put(k, v[0]));
        return m;
    }

    private static Map<CollidingKey, Long> contents(CowHashMap<CollidingKey, long[]> map) {
        Map<CollidingKey, Long> m = new HashMap<>();
        map.forEach((k, v) -> m.put(k, v[0]));
        return m;
    }

    @Test
    void snapshotsSeeTheMapAsItWasWhileTheOwnerKeepsWriting() throws IOException {
        for (long seed = 0; seed < 40; seed++) {
            Random r = new Random(seed);
            CowHashMap<CollidingKey, long[]> map = new CowHashMap<>(long[]::clone);
            Map<CollidingKey, Long> model = new HashMap<>();
            List<CowHashMap.Snapshot<CollidingKey, long[]>> snaps = new ArrayList<>();
            List<Map<CollidingKey, Long>> expected = new ArrayList<>();
            for (int step = 0; step < 3000; step++) {
                CollidingKey k = new CollidingKey(r.nextInt(seed % 2 == 0 ? 60 : 2000));
                int op = r.nextInt(100);
                if (op < 35) {
                    long[] v = map.getForUpdate(k);
                    if (v == null) {
                        map.put(k, new long[] {1});
                        model.put(k, 1L);
                    } else {
                        v[0]++; // mutated in place, as window accumulators are
                        model.merge(k, 1L, Long::sum);
                    }
                } else if (op < 55) {
                    long x = r.nextInt(1000);
                    map.put(k, new long[] {x});
                    model.put(k, x);
                } else if (op < 75) {
                    long[] removed = map.remove(k);
                    Long m = model.remove(k);
                    assertEquals(m, removed == null ? null : removed[0]);
                } else if (op < 97) {
                    long[] v = map.get(k);
                    assertEquals(model.get(k), v == null ? null : v[0]);
                } else if (op < 99 || snaps.isEmpty()) {
                    snaps.add(map.snapshot());
                    expected.add(new HashMap<>(model));
                } else {
                    int i = r.nextInt(snaps.size());
                    assertEquals(expected.get(i), contents(snaps.get(i)), "seed " + seed + " step " + step);
                    assertEquals(expected.get(i).size(), snaps.get(i).size());
                    snaps.remove(i).release();
                    expected.remove(i);
                }
                assertEquals(model.size(), map.size());
            }
            for (int i = 0; i < snaps.size(); i++) {
                assertEquals(expected.get(i), contents(snaps.get(i)), "seed " + seed);
            }
            assertEquals(model, contents(map));
        }
    }

    @Test
    void copiesAValueOnlyOnceAfterASnapshotAndNotAtAllOnceItIsReleased() throws IOException {
        CowHashMap<String, long[]> map = new CowHashMap<>(long[]::clone);
        long[] original = {1};
        map.put("a", original);
        assertSame(original, map.getForUpdate("a"), "no snapshot: no copy");

        CowHashMap.Snapshot<String, long[]> s = map.snapshot();
        long[] copy = map.getForUpdate("a");
        assertNotSame(original, copy);
        copy[0] = 5;
        assertSame(copy, map.getForUpdate("a"), "the copy is the map's own now");
        s.forEach((k, v) -> assertEquals(1, v[0]));
        s.release();

        map.snapshot().release();
        assertSame(copy, map.getForUpdate("a"), "a released snapshot needs no copy");
        assertThrows(IllegalStateException.class, () -> s.forEach((k, v) -> {}));
    }

    @Test
    void walkingWithValuesToMutateHandsOutCopiesOfWhatASnapshotStillReads() throws IOException {
        CowHashMap<String, long[]> map = new CowHashMap<>(long[]::clone);
        map.put("a", new long[] {1});
        CowHashMap.Snapshot<String, long[]> s = map.snapshot();
        map.put("b", new long[] {2}); // not in the snapshot: handed out as it is

        map.forEachUnshared((k, v) -> v[0] += 100);

        s.forEach((k, v) -> assertEquals(1, v[0], "the snapshot keeps its value"));
        assertEquals(102, map.get("b")[0]);
    }

    @Test
    void growsAndRemovesWithASnapshotLive() throws IOException {
        CowHashMap<Integer, long[]> map = new CowHashMap<>(long[]::clone);
        for (int i = 0; i < 100; i++) {
            map.put(i, new long[] {i});
        }
        CowHashMap.Snapshot<Integer, long[]> s = map.snapshot();
        for (int i = 100; i < 10_000; i++) {
            map.put(i, new long[] {i});
        }
        for (int i = 0; i < 50; i++) {
            map.remove(i);
        }
        Map<Integer, Long> seen = new HashMap<>();
        s.forEach((k, v) -> seen.put(k, v[0]));
        assertEquals(100, seen.size());
        for (int i = 0; i < 100; i++) {
            assertEquals(i, seen.get(i));
        }
        assertEquals(9_950, map.size());
        assertNull(map.get(3));
        assertEquals(9_999, map.get(9_999)[0]);
    }
}
