package io.tidemill.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongValueMapTest {
    /** Keys with few distinct hash codes, so that probe runs are long and wrap around the array. */
    record CollidingKey(int id) {
        @Override
        public int hashCode() {
            return id % 5;
        }
    }

    private static <K> Map<K, Long> contents(LongValueMap<K> map) {
        Map<K, Long> m = new HashMap<>();
        map.forEach(m::put);
        return m;
    }

    private static <K> Map<K, Long> contents(LongValueMap.Snapshot<K> snapshot) throws IOException {
        Map<K, Long> m = new HashMap<>();
        snapshot.forEach(m::put);
        return m;
    }

    @Test
    void givenRandomAddsAndPuts_thenTheMapAndItsSnapshotsMatchAModel() throws IOException {
        for (long seed = 0; seed < 30; seed++) {
            Random r = new Random(seed);
            LongValueMap<Object> map = new LongValueMap<>(seed % 2 == 0 ? 0 : 100);
            Map<Object, Long> model = new HashMap<>();
            List<LongValueMap.Snapshot<Object>> snaps = new ArrayList<>();
            List<Map<Object, Long>> expected = new ArrayList<>();
            for (int step = 0; step < 4000; step++) {
                int id = r.nextInt(seed % 2 == 0 ? 50 : 3000) - 10; // with 0 and negative ids
                // seeds 0 mod 3: Long keys only (kept unboxed); 1 mod 3: Long keys, then mixed from
                // step 2000 (moved to object keys with snapshots on both sides); else mixed throughout
                boolean mixed = seed % 3 == 2 || (seed % 3 == 1 && step >= 2000);
                Object k = !mixed ? (Object) (long) id : switch (Math.floorMod(id, 3)) {
                    case 0 -> new CollidingKey(id);
                    case 1 -> (long) id;
                    default -> "k" + id;
                };
                int op = r.nextInt(100);
                if (op < 60) {
                    int slot = map.slotOf(k, 10);
                    map.setValueAt(slot, map.valueAt(slot) + 1);
                    model.merge(k, 11L, (a, b) -> a + 1);
                } else if (op < 95) {
                    long v = r.nextLong();
                    map.put(k, v); // may grow the arrays while it writes
                    model.put(k, v);
                } else {
                    snaps.add(map.snapshot());
                    expected.add(new HashMap<>(model));
                }
                assertEquals(model.containsKey(k), map.containsKey(k));
            }
            assertEquals(model, contents(map), "seed " + seed);
            assertEquals(model.size(), map.size());
            for (int i = 0; i < snaps.size(); i++) {
                assertEquals(expected.get(i), contents(snaps.get(i)), "seed " + seed + ", snapshot " + i);
                assertEquals(expected.get(i).size(), snaps.get(i).size());
            }
        }
    }

    @Test
    void givenAnEmptyMap_thenItHoldsNothing() {
        LongValueMap<String> map = new LongValueMap<>();
        assertTrue(map.isEmpty());
        assertFalse(map.containsKey("a"));
        map.put("a", 1);
        assertEquals(Map.of("a", 1L), contents(map));
    }

    @Test
    void givenAClearedMap_thenItIsEmptyAndTakesNewKeysOfEitherKind() {
        LongValueMap<Object> map = new LongValueMap<>();
        for (long k = -5; k < 100; k++) {
            map.put(k, k);
        }
        LongValueMap.Snapshot<Object> before = map.snapshot();
        map.clear();
        assertTrue(map.isEmpty());
        assertFalse(map.containsKey(0L));
        assertEquals(Map.of(), contents(map));
        map.put(7L, 1);
        map.put("x", 2); // moves to object keys
        map.clear();
        map.put("y", 3);
        assertEquals(Map.of("y", 3L), contents(map));
        assertEquals(105, before.size());
    }

    @Test
    void givenLongKeys_thenZeroAndNegativeKeysAreKeysLikeAnyOther() {
        LongValueMap<Long> map = new LongValueMap<>();
        map.put(0L, 5);
        map.put(-1L, 6);
        map.put(Long.MIN_VALUE, 7);
        map.setValueAt(map.slotOf(0L, 100), map.valueAt(map.slotOf(0L, 100)) + 1);
        assertEquals(Map.of(0L, 6L, -1L, 6L, Long.MIN_VALUE, 7L), contents(map));
        assertTrue(map.containsKey(0L));
        assertFalse(map.containsKey(1L));
    }
}
