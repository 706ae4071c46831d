package io.tidemill.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class KeyGroupsTest {
    @Test
    void givenAnyMaxParallelism_thenTheKeyGroupIsTheScrambledHashModuloIt() {
        Random r = new Random(7);
        for (int max : new int[] {1, 2, 3, 7, 128, 100, 1 << 15}) {
            for (int i = 0; i < 20_000; i++) {
                Object key = i % 2 == 0 ? (Object) r.nextLong() : "k" + r.nextInt();
                int group = KeyGroups.keyGroupOf(key, max);
                assertEquals(Math.floorMod(KeyGroups.scramble(key.hashCode()), max), group);
            }
        }
    }

    @Test
    void givenAnyParallelism_thenEveryKeyGroupBelongsToTheSubtaskWhoseRangeHoldsIt() {
        for (int max : new int[] {128, 100, 7}) {
            for (int parallelism = 1; parallelism <= max; parallelism += 3) {
                for (int g = 0; g < max; g++) {
                    KeyGroupRange range = KeyGroups.rangeOf(KeyGroups.subtaskOf(g, max, parallelism), max, parallelism);
                    assertTrue(range.start() <= g && g <= range.end(), "group " + g + " of " + max + " at " + parallelism);
                }
            }
        }
    }
}
