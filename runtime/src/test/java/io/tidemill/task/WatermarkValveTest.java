package io.tidemill.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The watermark valve driven directly: per-channel watermarks, idle and ended channels. */
@Timeout(10)
class WatermarkValveTest {
    private static final long NONE = Long.MIN_VALUE;

    private final WatermarkValve valve = new WatermarkValve(2);

    @Test
    void givenTwoChannels_thenTheWatermarkIsTheirMinimumAndNeverGoesBack() {
        assertEquals(NONE, valve.onWatermark(0, 100), "channel 1 has no watermark yet");
        assertEquals(50, valve.onWatermark(1, 50));
        assertEquals(100, valve.onWatermark(1, 200));
        assertEquals(NONE, valve.onWatermark(0, 80), "a channel's watermark going back changes nothing");
        assertEquals(100, valve.watermark());
    }

    @Test
    void givenAnIdleChannel_thenItDoesNotHoldTheWatermarkBack() {
        valve.onWatermark(0, 100);

        assertEquals(100, valve.onIdle(1));
    }

    @Test
    void givenAnIdleChannel_whenItSendsRecordsAgain_thenItHoldsTheWatermarkBackAgain() {
        valve.onWatermark(0, 100);
        valve.onIdle(1);

        valve.onRecords(1);

        assertEquals(NONE, valve.onWatermark(0, 300), "channel 1 is active again, still without a watermark");
        assertEquals(250, valve.onWatermark(1, 250));
    }

    @Test
    void givenEveryLiveChannelIdle_thenTheTaskBecomesIdleOnceUntilAChannelIsActiveAgain() {
        valve.onWatermark(0, 100);
        valve.onWatermark(1, 100);

        valve.onIdle(0);
        assertFalse(valve.becameIdle(), "channel 1 is active");
        assertEquals(NONE, valve.onIdle(1), "all idle: the watermark holds");
        assertTrue(valve.becameIdle());
        assertFalse(valve.becameIdle(), "said once");

        valve.onRecords(0);
        valve.onIdle(0);
        assertTrue(valve.becameIdle(), "idle again after being active");
    }

    @Test
    void givenAnIdleChannel_whenTheOtherEnds_thenTheTaskIsIdle() {
        valve.onIdle(0);

        valve.onEnd(1);

        assertTrue(valve.becameIdle());
        assertFalse(valve.allEnded());
    }

    @Test
    void givenChannelsEnd_thenTheyNoLongerHoldTheWatermarkBack_andWhenAllEndedItIsTheMaximum() {
        valve.onWatermark(0, 100);

        assertEquals(100, valve.onEnd(1));
        assertTrue(valve.isEnded(1));
        assertFalse(valve.allEnded());
        assertEquals(Long.MAX_VALUE, valve.onEnd(0));
        assertTrue(valve.allEnded());
        assertFalse(valve.becameIdle(), "an ended task is not idle");
    }
}
