package io.tidemill.connector.nexmark;

/** A person registering on the auction site: a seller and/or bidder. */
public record Person(
        long id,
        String name,
        String emailAddress,
        String creditCard,
        String city,
        String state,
        long dateTime,
        String extra) implements NexmarkEvent {
}
