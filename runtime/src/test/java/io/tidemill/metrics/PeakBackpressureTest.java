package io.tidemill.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The peak backpressure of a run, over its sampling intervals, on a clock the test moves. */
@Timeout(10)
class PeakBackpressureTest {
    private static final long SECOND = 1_000_000_000L;

    /** Seconds backpressured so far of two subtasks, set by the test as time passes. */
    private final double[] blocked = new double[2];
    private final PeakBackpressure peak = new PeakBackpressure(List.of(
            new PeakBackpressure.Subtask("source", 0, () -> blocked[0]),
            new PeakBackpressure.Subtask("window -> sink", 1, () -> blocked[1])), 0);

    @Test
    void givenTwoSubtasks_whenSampledOverIntervals_thenThePeakIsTheHighestShareOfAnyIntervalWithItsVertex() {
        blocked[0] = 0.5; // 25% of the first 2 s
        blocked[1] = 0.2;
        peak.sample(2 * SECOND);
        blocked[0] = 0.7; // 10% of the next 2 s
        blocked[1] = 1.6; // 70%
        peak.sample(4 * SECOND);
        blocked[1] = 1.8; // 10%
        peak.sample(6 * SECOND);

        PeakBackpressure.Peak p = peak.peak();
        assertEquals("window -> sink", p.vertex());
        assertEquals(1, p.subtask());
        assertEquals(0.7, p.share(), 1e-9);
        assertEquals(2.0, p.intervalSeconds(), 1e-9);
    }

    @Test
    void givenAShortLastInterval_whenFinished_thenItDoesNotMakeThePeak() {
        blocked[0] = 0.2; // 10% of 2 s
        peak.sample(2 * SECOND);
        blocked[0] = 0.25; // fully blocked, but for 50 ms only
        peak.finish(2 * SECOND + SECOND / 20);

        assertEquals(0.1, peak.peak().share(), 1e-9);
    }

    @Test
    void givenARunShorterThanOneInterval_whenFinished_thenItsOnlyIntervalCounts() {
        blocked[1] = 0.3;
        peak.finish(SECOND / 2);

        assertEquals(0.6, peak.peak().share(), 1e-9);
        assertEquals("window -> sink", peak.peak().vertex());
    }

    @Test
    void givenASubtaskNeverBlocked_thenThePeakIsZero_andWithoutSubtasksThereIsNone() {
        peak.sample(2 * SECOND);
        assertEquals(0, peak.peak().share());

        PeakBackpressure none = new PeakBackpressure(List.of(), 0);
        none.sample(2 * SECOND);
        assertNull(none.peak());
    }
}
