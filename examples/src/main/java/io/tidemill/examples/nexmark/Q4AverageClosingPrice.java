package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedCoProcessFunction;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.KeyedProcessFunction.Context;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.connector.nexmark.Auction;
import io.tidemill.connector.nexmark.Bid;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.state.ListState;
import io.tidemill.state.StateDescriptor;
import io.tidemill.state.ValueState;

/**
 * Nexmark q4: the average closing price per category.
 *
 * <p>Two keyed steps: per auction id, the winning price is the highest bid placed while the auction
 * was open ({@code auction.dateTime <= bid.dateTime <= auction.expires}); then per category, the
 * average of its auctions' winning prices ({@code sum / count}, long arithmetic).
 *
 * <p>Both steps report once, at the end of the input: an event-time timer at {@code Long.MAX_VALUE}
 * fires only with the final watermark, when every bid has been seen. (Nexmark bids may arrive before
 * their auction, so a winning price is only final then.)
 */
public final class Q4AverageClosingPrice {
    /** A timer at this time fires once the input has ended. */
    private static final long END_OF_INPUT = Long.MAX_VALUE;

    private Q4AverageClosingPrice() {}

    /** The average winning price of a category's auctions. */
    public record Row(long category, long avg) {}

    /** The winning price of one auction. */
    public record WinningPrice(long auction, long category, long price) {}

    public static DataStream<Row> build(DataStream<NexmarkEvent> events) {
        return NexmarkQueries.auctions(events)
                .connect(NexmarkQueries.bids(events))
                .keyBy(Auction::id, Bid::auction)
                .process(new WinningBid())
                .name("q4-winning-price")
                .keyBy(WinningPrice::category)
                .process(new CategoryAverage())
                .name("q4");
    }

    /**
     * Per auction id: the first auction with that id and its highest valid bid. Both live in one
     * value, so a bid costs one state lookup (and one update when it raises the price).
     */
    static final class WinningBid extends KeyedCoProcessFunction<Long, Auction, Bid, WinningPrice> {
        private ValueState<Leader> leader;
        private ListState<Bid> bidsBeforeAuction;

        /** An auction and, if {@code hasBid}, the highest price of its valid bids so far. */
        record Leader(Auction auction, boolean hasBid, long price) {
            /** This leader after {@code bid}: itself unless the bid is valid and higher. */
            Leader offer(Bid bid) {
                boolean open = bid.dateTime() >= auction.dateTime() && bid.dateTime() <= auction.expires();
                return open && (!hasBid || bid.price() > price) ? new Leader(auction, true, bid.price()) : this;
            }
        }

        @Override
        public void open(RuntimeContext ctx) {
            leader = ctx.state(StateDescriptor.value("leader"));
            bidsBeforeAuction = ctx.state(StateDescriptor.list("bids-before-auction"));
        }

        @Override
        public void processElement1(Auction a, Context<Long> ctx, Collector<WinningPrice> out) {
            if (leader.value() != null) {
                return; // a repeated auction id: the first occurrence counts
            }
            Leader l = new Leader(a, false, 0);
            for (Bid bid : bidsBeforeAuction.get()) {
                l = l.offer(bid);
            }
            bidsBeforeAuction.clear();
            leader.update(l);
            ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
        }

        @Override
        public void processElement2(Bid bid, Context<Long> ctx, Collector<WinningPrice> out) {
            Leader l = leader.value();
            if (l == null) {
                bidsBeforeAuction.add(bid);
            } else {
                Leader after = l.offer(bid);
                if (after != l) {
                    leader.update(after);
                }
            }
        }

        @Override
        public void onTimer(long time, KeyedProcessFunction.OnTimerContext<Long> ctx, Collector<WinningPrice> out) {
            Leader l = leader.value();
            if (l.hasBid()) {
                out.collect(new WinningPrice(ctx.currentKey(), l.auction().category(), l.price()));
            }
        }
    }

    /** Per category: sum and count of winning prices, reported at the end of the input. */
    static final class CategoryAverage extends KeyedProcessFunction<Long, WinningPrice, Row> {
        private ValueState<Long> sum;
        private ValueState<Long> count;

        @Override
        public void open(RuntimeContext ctx) {
            sum = ctx.state(StateDescriptor.value("sum"));
            count = ctx.state(StateDescriptor.value("count"));
        }

        @Override
        public void processElement(WinningPrice winner, Context<Long> ctx, Collector<Row> out) {
            if (count.value() == null) {
                sum.update(0L);
                count.update(0L);
                ctx.timerService().registerEventTimeTimer(END_OF_INPUT);
            }
            sum.update(sum.value() + winner.price());
            count.update(count.value() + 1);
        }

        @Override
        public void onTimer(long time, OnTimerContext<Long> ctx, Collector<Row> out) {
            out.collect(new Row(ctx.currentKey(), sum.value() / count.value()));
        }
    }
}
