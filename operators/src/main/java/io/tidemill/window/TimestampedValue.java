package io.tidemill.window;

/** A record of a window kept for an {@link Evictor}, with its timestamp. */
public record TimestampedValue<T>(T value, long timestamp) {}
