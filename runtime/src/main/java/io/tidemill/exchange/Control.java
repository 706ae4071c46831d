package io.tidemill.exchange;

/** Control events that flow in channels between batches (watermarks travel as {@code Watermark}). */
public enum Control {
    /** The sender has nothing to say about event time until it sends a record or a watermark. */
    IDLE,
    /** The sender will send nothing more. */
    END_OF_INPUT
}
