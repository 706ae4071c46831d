package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.Auction;
import io.tidemill.connector.nexmark.JsonLine;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.Person;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * q8: persons who created an auction in the same 10 s tumbling window as they registered; one
 * row per distinct (id, name, windowStart), emitted when the window fires. A person or auction
 * whose window has already fired is late and left out.
 */
final class Q8MonitorNewUsers implements BaselineQuery {

    static final long SIZE = 10_000;

    private final RowSink out;
    private final JsonLine row = new JsonLine();
    private final TreeMap<Long, Registrations> windows = new TreeMap<>();
    private long late;

    Q8MonitorNewUsers(RowSink out) {
        this.out = out;
    }

    @Override
    public void onEvent(NexmarkEvent event, long watermark) {
        if (event instanceof Person p) {
            Registrations window = window(p.dateTime(), watermark);
            if (window != null) {
                List<String> names = window.namesById.computeIfAbsent(p.id(), id -> new ArrayList<>(1));
                if (!names.contains(p.name())) {
                    names.add(p.name());
                }
            }
        } else if (event instanceof Auction a) {
            Registrations window = window(a.dateTime(), watermark);
            if (window != null) {
                window.sellers.add(a.seller());
            }
        }
    }

    /** The state of the window of {@code dateTime}, or null (and counted) if it has fired. */
    private Registrations window(long dateTime, long watermark) {
        long start = EventTimeClock.windowStart(dateTime, SIZE);
        if (EventTimeClock.hasFired(start + SIZE, watermark)) {
            late++;
            return null;
        }
        return windows.computeIfAbsent(start, s -> new Registrations());
    }

    @Override
    public void onWatermark(long watermark) {
        while (!windows.isEmpty()
                && EventTimeClock.hasFired(windows.firstKey() + SIZE, watermark)) {
            Map.Entry<Long, Registrations> window = windows.pollFirstEntry();
            Registrations registrations = window.getValue();
            for (Map.Entry<Long, List<String>> person : registrations.namesById.entrySet()) {
                if (registrations.sellers.contains(person.getKey())) {
                    for (String name : person.getValue()) {
                        out.emit(row.begin().field("id", person.getKey()).field("name", name)
                                .field("windowStart", window.getKey()).end());
                    }
                }
            }
        }
    }

    @Override
    public long late() {
        return late;
    }

    /** Persons registered and sellers active in one window. */
    private static final class Registrations {
        final Map<Long, List<String>> namesById = new HashMap<>();
        final Set<Long> sellers = new HashSet<>();
    }
}
