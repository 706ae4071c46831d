package io.tidemill.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Barrier alignment driven directly: which channels are blocked, and when the snapshot is due. */
@Timeout(10)
class BarrierAlignerTest {
    private final BarrierAligner aligner = new BarrierAligner(3);

    @Test
    void givenExactlyOnce_whenABarrierArrives_thenItsChannelIsBlockedUntilEveryChannelDeliveredIt() {
        assertFalse(aligner.onBarrier(0, 1, true));
        assertTrue(aligner.isBlocked(0));
        assertFalse(aligner.isBlocked(1));
        assertFalse(aligner.onBarrier(2, 1, true));
        assertTrue(aligner.isBlocked(2));

        assertTrue(aligner.onBarrier(1, 1, true), "the last barrier makes the snapshot due");
        aligner.finish();

        for (int c = 0; c < 3; c++) {
            assertFalse(aligner.isBlocked(c), "channel " + c + " flows after the alignment");
        }
        assertFalse(aligner.isComplete(), "no alignment in progress");
    }

    @Test
    void givenAtLeastOnce_whenABarrierArrives_thenNoChannelIsBlocked() {
        aligner.onBarrier(0, 1, false);

        assertFalse(aligner.isBlocked(0));
    }

    @Test
    void givenABarrierTwiceOnOneChannel_thenItCountsOnce() {
        aligner.onBarrier(0, 1, true);

        assertFalse(aligner.onBarrier(0, 1, true));
        assertFalse(aligner.onBarrier(1, 1, true));
    }

    @Test
    void givenANewerBarrier_thenTheOlderAlignmentIsAbandonedAndItsLateBarriersIgnored() {
        aligner.onBarrier(0, 1, true);

        assertFalse(aligner.onBarrier(1, 2, true));
        assertEquals(2, aligner.checkpoint());
        assertFalse(aligner.isBlocked(0), "checkpoint 1 was aborted: its blocked channel flows again");
        assertTrue(aligner.isBlocked(1));
        assertFalse(aligner.onBarrier(2, 1, true), "a barrier of checkpoint 1 is ignored");
        assertFalse(aligner.isBlocked(2));

        assertFalse(aligner.onBarrier(0, 2, true));
        assertTrue(aligner.onBarrier(2, 2, true));
    }

    @Test
    void givenAnAlignmentInProgress_whenTheMissingChannelEnds_thenItIsComplete() {
        aligner.onBarrier(0, 1, true);
        aligner.onBarrier(1, 1, true);
        assertFalse(aligner.isComplete());

        aligner.onEnd(2);

        assertTrue(aligner.isComplete());
    }
}
