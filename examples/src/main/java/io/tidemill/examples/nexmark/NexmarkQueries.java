package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.api.function.Collector;
import io.tidemill.connector.nexmark.Auction;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.Person;
import io.tidemill.watermark.WatermarkStrategy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The Nexmark queries of {@code NEXMARK.md} by name, and what they share: the event-time strategy
 * and the split of the event stream into persons, auctions and bids.
 *
 * <pre>{@code
 * Pipeline pipeline = Pipeline.create().setParallelism(2);
 * DataStream<NexmarkEvent> events = pipeline.fromCollection(list, NexmarkQueries.watermarkStrategy());
 * NexmarkQueries.build("q5", events).print();
 * pipeline.execute();
 * }</pre>
 */
public final class NexmarkQueries {
    private static final Map<String, Function<DataStream<NexmarkEvent>, DataStream<?>>> QUERIES =
            new LinkedHashMap<>();

    static {
        QUERIES.put("q0", Q0PassThrough::build);
        QUERIES.put("q1", Q1CurrencyConversion::build);
        QUERIES.put("q2", Q2Selection::build);
        QUERIES.put("q3", Q3LocalItemSuggestion::build);
        QUERIES.put("q4", Q4AverageClosingPrice::build);
        QUERIES.put("q5", Q5HotItems::build);
        QUERIES.put("q7", Q7HighestBid::build);
        QUERIES.put("q8", Q8MonitorNewUsers::build);
        QUERIES.put("q11", Q11UserSessions::build);
    }

    private NexmarkQueries() {}

    /** The names of the queries, in order: q0, q1, ..., q11. */
    public static List<String> names() {
        return List.copyOf(QUERIES.keySet());
    }

    /**
     * Builds the query named {@code query} ("q0" .. "q11") on {@code events}; returns its rows, each a
     * record whose components are the query's output fields in the order of {@code NEXMARK.md}.
     *
     * @throws IllegalArgumentException for an unknown query name
     */
    public static DataStream<?> build(String query, DataStream<NexmarkEvent> events) {
        Function<DataStream<NexmarkEvent>, DataStream<?>> builder = QUERIES.get(query);
        if (builder == null) {
            throw new IllegalArgumentException("unknown query '" + query + "'; known: "
                    + String.join(", ", QUERIES.keySet()));
        }
        return builder.apply(events);
    }

    /** Event time is {@code dateTime}; events may be up to 5 000 ms out of order. */
    public static WatermarkStrategy<NexmarkEvent> watermarkStrategy() {
        return WatermarkStrategy.<NexmarkEvent>forBoundedOutOfOrderness(Duration.ofMillis(5000))
                .withTimestampAssigner((event, ts) -> event.dateTime());
    }

    /** The bids of the event stream. */
    public static DataStream<Bid> bids(DataStream<NexmarkEvent> events) {
        return events.flatMap((NexmarkEvent e, Collector<Bid> out) -> {
            if (e instanceof Bid bid) {
                out.collect(bid);
            }
        }).name("bids");
    }

    /** The auctions of the event stream. */
    public static DataStream<Auction> auctions(DataStream<NexmarkEvent> events) {
        return events.flatMap((NexmarkEvent e, Collector<Auction> out) -> {
            if (e instanceof Auction auction) {
                out.collect(auction);
            }
        }).name("auctions");
    }

    /** The persons of the event stream. */
    public static DataStream<Person> persons(DataStream<NexmarkEvent> events) {
        return events.flatMap((NexmarkEvent e, Collector<Person> out) -> {
            if (e instanceof Person person) {
                out.collect(person);
            }
        }).name("persons");
    }
}
