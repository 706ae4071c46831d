package io.tidemill.window;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.checkpoint.codec.ValueCodec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Partials are written with the value codec when a snapshot holds records in flight (unaligned
 * checkpoints), including a late record a partial carries to the side output.
 */
class WindowPartialCodecTest {
    record Reading(String sensor, long value) {}

    private static Object roundTrip(Object v) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ValueCodec.write(v, new DataOutputStream(bytes));
        return ValueCodec.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    }

    @Test
    void partialsWithAndWithoutALateRecordSurviveTheCodec() throws IOException {
        WindowPartial<Long, List<Long>> pane = new WindowPartial<>(7L, 1000, 2000, List.of(3L, 4L), null);
        WindowPartial<Long, List<Long>> late = new WindowPartial<>(null, 1000, 2000, List.of(5L),
                new WindowPartial.Late(new Reading("s1", 5), 1234));

        assertEquals(pane, roundTrip(pane));
        assertEquals(late, roundTrip(late));
    }
}
