package io.tidemill.operator;

import io.tidemill.api.OutputTag;

/** A collector that can set the output timestamp; implemented by the engine's process contexts. */
public interface TimestampedCollector<T> {
    void collect(T value, long timestamp);

    /** Emits {@code value} to the side output {@code tag} at {@code timestamp}. */
    <X> void output(OutputTag<X> tag, X value, long timestamp);
}
