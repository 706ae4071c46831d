package io.tidemill.state;

/** An inclusive range {@code [start, end]} of key groups owned by one subtask. */
public record KeyGroupRange(int start, int end) {
    public KeyGroupRange {
        if (start < 0 || end < start - 1) {
            throw new IllegalArgumentException("bad key-group range [" + start + ", " + end + "]");
        }
    }

    /** Number of key groups in the range (zero when the subtask owns none). */
    public int size() {
        return end - start + 1;
    }

    public boolean contains(int keyGroup) {
        return keyGroup >= start && keyGroup <= end;
    }
}
