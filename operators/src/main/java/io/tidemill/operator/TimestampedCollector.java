package io.tidemill.operator;

/** A collector that can set the output timestamp; implemented by the engine's keyed contexts. */
public interface TimestampedCollector<T> {
    void collect(T value, long timestamp);
}
