package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedCoProcessFunction;
import io.tidemill.api.function.KeyedProcessFunction.Context;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.connector.nexmark.Auction;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.Person;
import io.tidemill.state.ListState;
import io.tidemill.state.StateDescriptor;
import java.util.Set;

/**
 * Nexmark q3: auctions of category 10 whose seller lives in Oregon, Idaho or California.
 *
 * <p>An unwindowed inner join of auctions and persons on {@code auction.seller = person.id}. Both
 * sides are kept in keyed state forever, and each arrival is matched with what the other side has
 * seen so far, so a seller may register before or after their auctions.
 */
public final class Q3LocalItemSuggestion {
    private static final Set<String> STATES = Set.of("OR", "ID", "CA");

    private Q3LocalItemSuggestion() {}

    /** A seller and one of their auctions ({@code id} is the auction's id). */
    public record Row(String name, String city, String state, long id) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        DataStream<Auction> auctions = NexmarkQueries.auctions(events).filter(a -> a.category() == 10);
        DataStream<Person> sellers = NexmarkQueries.persons(events).filter(p -> STATES.contains(p.state()));
        return auctions.connect(sellers)
                .keyBy(Auction::seller, Person::id)
                .process(new SellerJoin())
                .name("q3");
    }

    /** Per seller id: their auctions and their person records, each matched against the other. */
    static final class SellerJoin extends KeyedCoProcessFunction<Long, Auction, Person, Row> {
        private ListState<Long> auctionIds;
        private ListState<Person> sellers;

        @Override
        public void open(RuntimeContext ctx) {
            auctionIds = ctx.state(StateDescriptor.list("auction-ids"));
            sellers = ctx.state(StateDescriptor.list("sellers"));
        }

        @Override
        public void processElement1(Auction auction, Context<Long> ctx, Collector<Row> out) {
            for (Person seller : sellers.get()) {
                out.collect(row(seller, auction.id()));
            }
            auctionIds.add(auction.id());
        }

        @Override
        public void processElement2(Person seller, Context<Long> ctx, Collector<Row> out) {
            for (long auctionId : auctionIds.get()) {
                out.collect(row(seller, auctionId));
            }
            sellers.add(seller);
        }

        private static Row row(Person seller, long auctionId) {
            return new Row(seller.name(), seller.city(), seller.state(), auctionId);
        }
    }
}
