package io.tidemill.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Rounding a watermark down to the points where windows act: their last timestamps. */
@Timeout(10)
class WatermarkUseTest {
    private static final WatermarkUse TENS = WatermarkUse.panes(10, 0); // windows [0,10), [10,20), ...

    @Test
    void aWatermarkIsRoundedDownToTheLastTimestampOfTheLatestPaneItCompletes() {
        assertEquals(9, WatermarkUse.floor(9, List.of(TENS)));
        assertEquals(9, WatermarkUse.floor(18, List.of(TENS)));
        assertEquals(19, WatermarkUse.floor(19, List.of(TENS)));
        assertEquals(-1, WatermarkUse.floor(8, List.of(TENS)));
        assertEquals(-11, WatermarkUse.floor(-2, List.of(TENS)));
    }

    @Test
    void anOffsetShiftsThePoints() {
        WatermarkUse shifted = WatermarkUse.panes(10, 3); // windows [3,13), [13,23), ...
        assertEquals(12, WatermarkUse.floor(12, List.of(shifted)));
        assertEquals(12, WatermarkUse.floor(21, List.of(shifted)));
        assertEquals(2, WatermarkUse.floor(11, List.of(shifted)));
    }

    @Test
    void withSeveralGridsThePointOfAnyOfThemCounts() {
        WatermarkUse sevens = WatermarkUse.panes(7, 0);
        assertEquals(13, WatermarkUse.floor(15, List.of(TENS, sevens))); // 13 (sevens) beats 9 (tens)
        assertEquals(19, WatermarkUse.floor(19, List.of(TENS, sevens)));
    }

    @Test
    void theExtremesAndNoGridsAreLeftAlone() {
        assertEquals(Long.MAX_VALUE, WatermarkUse.floor(Long.MAX_VALUE, List.of(TENS)));
        assertEquals(Long.MIN_VALUE, WatermarkUse.floor(Long.MIN_VALUE, List.of(TENS)));
        assertEquals(Long.MIN_VALUE, WatermarkUse.floor(Long.MIN_VALUE + 3, List.of(TENS))); // no point above MIN
        assertEquals(1234, WatermarkUse.floor(1234, List.of()));
    }

    @Test
    void withoutPanesAnOperatorNeedsEveryWatermark() {
        assertEquals(WatermarkUse.EXACT, WatermarkUse.panes(0, 0));
    }
}
