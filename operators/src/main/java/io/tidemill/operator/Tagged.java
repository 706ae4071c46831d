package io.tidemill.operator;

/** A record of one of two inputs, so two streams can share one keyed exchange (joins, connect). */
public record Tagged(int side, Object value) {
    public static final int LEFT = 0;
    public static final int RIGHT = 1;
}
