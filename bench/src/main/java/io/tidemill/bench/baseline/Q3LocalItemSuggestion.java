package io.tidemill.bench.baseline;

import io.tidemill.connector.nexmark.Auction;
import io.tidemill.connector.nexmark.JsonLine;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.connector.nexmark.Person;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * q3: auctions of category 10 joined with their seller when the seller's state is OR, ID or CA.
 * An unwindowed inner join: both sides are kept forever, and each arrival is matched against
 * everything of the other side seen so far, so either may come first.
 */
final class Q3LocalItemSuggestion implements BaselineQuery {

    private final RowSink out;
    private final JsonLine row = new JsonLine();
    private final Map<Long, List<Person>> sellersById = new HashMap<>();
    private final Map<Long, List<Long>> auctionIdsBySeller = new HashMap<>();

    Q3LocalItemSuggestion(RowSink out) {
        this.out = out;
    }

    @Override
    public void onEvent(NexmarkEvent event, long watermark) {
        if (event instanceof Person p && isLocal(p.state())) {
            List<Long> auctionIds = auctionIdsBySeller.get(p.id());
            if (auctionIds != null) {
                for (int i = 0; i < auctionIds.size(); i++) {
                    emit(p, auctionIds.get(i));
                }
            }
            sellersById.computeIfAbsent(p.id(), id -> new ArrayList<>(1)).add(p);
        } else if (event instanceof Auction a && a.category() == 10) {
            List<Person> sellers = sellersById.get(a.seller());
            if (sellers != null) {
                for (int i = 0; i < sellers.size(); i++) {
                    emit(sellers.get(i), a.id());
                }
            }
            auctionIdsBySeller.computeIfAbsent(a.seller(), id -> new ArrayList<>(2)).add(a.id());
        }
    }

    private void emit(Person seller, long auctionId) {
        out.emit(row.begin().field("name", seller.name()).field("city", seller.city())
                .field("state", seller.state()).field("id", auctionId).end());
    }

    private static boolean isLocal(String state) {
        return state.equals("OR") || state.equals("ID") || state.equals("CA");
    }
}
