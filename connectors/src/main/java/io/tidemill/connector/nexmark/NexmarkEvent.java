package io.tidemill.connector.nexmark;

/**
 * One event of the Nexmark auction workload: a {@link Person}, an {@link Auction} or a {@link Bid}.
 *
 * <p>The exact JSON-lines format is fixed by {@code NEXMARK.md}; {@link NexmarkJson} reads and
 * writes it. Switch over the three cases with pattern matching:
 *
 * <pre>{@code
 * if (event instanceof Bid bid) { ... }
 * }</pre>
 */
public sealed interface NexmarkEvent permits Person, Auction, Bid {

    /** Event time of this event, epoch milliseconds. */
    long dateTime();
}
