package io.tidemill.testing;

import java.util.Arrays;
import java.util.List;

/**
 * A keyed, timestamped test record, written {@code key@timestamp} (for example {@code a@12}). The key
 * {@value #TIME} marks a record that only advances event time and is filtered out before windows.
 */
public record Event(String key, long ts) {
    /** Key of records that only move event time forward. */
    public static final String TIME = "time";

    /** Parses {@code "a@1 b@2 time@10"} into events, in order. */
    public static List<Event> parse(String story) {
        return Arrays.stream(story.trim().split("\\s+")).map(Event::parseOne).toList();
    }

    private static Event parseOne(String token) {
        int at = token.indexOf('@');
        if (at <= 0) {
            throw new IllegalArgumentException("expected key@timestamp, got '" + token + "'");
        }
        return new Event(token.substring(0, at), Long.parseLong(token.substring(at + 1)));
    }

    public boolean isTimeMarker() {
        return TIME.equals(key);
    }

    @Override
    public String toString() {
        return key + "@" + ts;
    }
}
