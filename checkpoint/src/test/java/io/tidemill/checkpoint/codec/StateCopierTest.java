package io.tidemill.checkpoint.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A copy replaces the value in live state, so it must be an equal value of the same type, not shared. */
class StateCopierTest {
    record Point(long x, long y) {}

    @Test
    void collectionsKeepTheirClassOrderAndComparatorAndNoMutableElementIsShared() {
        TreeMap<String, long[]> tree = new TreeMap<>(Comparator.reverseOrder());
        tree.put("a", new long[] {1});
        tree.put("b", new long[] {2});
        @SuppressWarnings("unchecked")
        TreeMap<String, long[]> treeCopy = (TreeMap<String, long[]>) StateCopier.copy(tree);
        assertEquals(List.of("b", "a"), new ArrayList<>(treeCopy.keySet()));
        assertNotSame(tree.get("a"), treeCopy.get("a"));
        assertArrayEquals(tree.get("a"), treeCopy.get("a"));

        List<Collection<Integer>> collections = List.of(new ArrayList<>(List.of(3, 1, 2)),
                new LinkedList<>(List.of(3, 1, 2)), new ArrayDeque<>(List.of(3, 1, 2)),
                new LinkedHashSet<>(List.of(3, 1, 2)), new TreeSet<>(Comparator.reverseOrder()));
        collections.get(4).addAll(List.of(3, 1, 2));
        for (Collection<Integer> c : collections) {
            Object copy = StateCopier.copy(c);
            assertNotSame(c, copy);
            assertSame(c.getClass(), copy.getClass());
            assertEquals(new ArrayList<>(c), new ArrayList<>((Collection<?>) copy), c.getClass().getSimpleName());
        }
        LinkedHashMap<String, Integer> linked = new LinkedHashMap<>();
        linked.put("z", 1);
        linked.put("a", 2);
        assertEquals(List.of("z", "a"), new ArrayList<>(((Map<?, ?>) StateCopier.copy(linked)).keySet()));
        assertSame(HashMap.class, StateCopier.copy(new HashMap<>(Map.of(1, 2))).getClass());
    }

    @Test
    void arraysKeepTheirComponentTypeAndImmutableValuesAreShared() {
        String[] names = {"a", "b"};
        assertSame(String[].class, StateCopier.copy(names).getClass());
        double[] sums = {1.5, 2.5};
        double[] sumsCopy = (double[]) StateCopier.copy(sums);
        assertNotSame(sums, sumsCopy);
        assertArrayEquals(sums, sumsCopy);
        int[][] grid = {{1}, {2}};
        int[][] gridCopy = (int[][]) StateCopier.copy(grid);
        assertNotSame(grid[0], gridCopy[0]);

        Point p = new Point(1, 2);
        assertSame(p, StateCopier.copy(p));
        assertSame("s", StateCopier.copy("s"));
    }
}
