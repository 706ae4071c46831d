package io.tidemill.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.function.Collector;
import io.tidemill.api.function.KeyedCoProcessFunction;
import io.tidemill.api.function.KeyedProcessFunction;
import io.tidemill.api.function.ProcessJoinFunction;
import io.tidemill.api.function.RuntimeContext;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.local.LocalCluster;
import io.tidemill.state.ListState;
import io.tidemill.state.StateDescriptor;
import io.tidemill.state.ValueState;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Window join, interval join and connected streams, each on small inputs with the expected pairs
 * written out by hand. Each input is in timestamp order, so no record is late, and the result is the
 * same at any parallelism.
 */
class JoinTest {
    record Person(long id, String name, long ts) {}

    record Auction(long id, long seller, long ts) {}

    record Click(String user, long ts) {}

    record Order(String id, long customer, long ts) {}

    record Customer(long id, String name, long ts) {}

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void windowJoinPairsRecordsWithEqualKeysInTheSameWindow(int parallelism) {
        // given persons and auctions, joined on seller within 10 ms tumbling windows
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        DataStream<Person> persons = pipeline.fromCollection(List.of(
                new Person(1, "ann", 1),
                new Person(2, "bob", 3),
                new Person(3, "cat", 12)), timestamps(Person::ts));
        DataStream<Auction> auctions = pipeline.fromCollection(List.of(
                new Auction(100, 1, 2),
                new Auction(104, 4, 5),    // no such person
                new Auction(101, 1, 8),
                new Auction(102, 2, 11),   // bob's, but in the next window
                new Auction(103, 3, 15)), timestamps(Auction::ts));
        CollectSink<String> sink = new CollectSink<>();

        // when
        persons.join(auctions).where(Person::id).equalTo(Auction::seller)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10)))
                .apply((p, a) -> p.name() + " sells " + a.id())
                .sinkTo(sink);
        run(pipeline);

        // then
        assertEquals(List.of("ann sells 100", "ann sells 101", "cat sells 103"), sorted(sink.values()));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void intervalJoinPairsEachLeftRecordWithRightRecordsInItsInterval(int parallelism) {
        // given clicks joined with views of the same user from 5 ms before to 2 ms after the click
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        DataStream<Click> clicks = pipeline.fromCollection(List.of(
                new Click("a", 10), new Click("b", 10), new Click("a", 20)), timestamps(Click::ts));
        DataStream<Click> views = pipeline.fromCollection(List.of(
                new Click("b", 4),     // 6 ms before b@10: too early
                new Click("a", 5),     // exactly 5 ms before a@10: joins
                new Click("a", 9),
                new Click("b", 11),
                new Click("a", 13),    // 3 ms after a@10, 7 ms before a@20: joins neither
                new Click("a", 16),
                new Click("a", 22)),   // exactly 2 ms after a@20: joins
                timestamps(Click::ts));
        CollectSink<String> sink = new CollectSink<>();

        // when
        clicks.keyBy(Click::user).intervalJoin(views.keyBy(Click::user))
                .between(Duration.ofMillis(-5), Duration.ofMillis(2))
                .process(new ProcessJoinFunction<Click, Click, String>() {
                    @Override
                    public void processElement(Click click, Click view, Context ctx, Collector<String> out) {
                        out.collect(click.user() + " click@" + ctx.leftTimestamp() + " view@" + ctx.rightTimestamp());
                    }
                })
                .sinkTo(sink);
        run(pipeline);

        // then
        assertEquals(List.of(
                "a click@10 view@5", "a click@10 view@9",
                "a click@20 view@16", "a click@20 view@22",
                "b click@10 view@11"), sorted(sink.values()));
    }

    @ParameterizedTest(name = "parallelism {0}")
    @ValueSource(ints = {1, 2})
    void connectedStreamsShareKeyedStateAndTimers(int parallelism) {
        // given orders enriched with their customer's name, which may come before or after the order;
        // an order whose customer has not shown up 100 ms (event time) after it is reported unmatched by
        // its timer (customer 2 never shows up: only a timer can report o2)
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        DataStream<Order> orders = pipeline.fromCollection(List.of(
                new Order("o1", 1, 5),
                new Order("o2", 2, 10),
                new Order("o3", 1, 50),
                new Order("o4", 3, 60)), timestamps(Order::ts));
        DataStream<Customer> customers = pipeline.fromCollection(List.of(
                new Customer(3, "cat", 0),
                new Customer(1, "ann", 20),
                new Customer(5, "eve", 300)), timestamps(Customer::ts));
        CollectSink<String> sink = new CollectSink<>();

        // when
        orders.connect(customers).keyBy(Order::customer, Customer::id)
                .process(new EnrichOrders())
                .sinkTo(sink);
        run(pipeline);

        // then
        assertEquals(List.of("o1 for ann", "o2 unmatched (timer at 110)", "o3 for ann", "o4 for cat"),
                sorted(sink.values()));
    }

    /**
     * Buffers orders until their customer's name is known; an order whose customer shows up more than
     * 100 ms (event time) after it is unmatched, whether its timer or the customer comes first.
     */
    static final class EnrichOrders extends KeyedCoProcessFunction<Long, Order, Customer, String> {
        private ValueState<Customer> customer;
        private ListState<Order> waiting;

        @Override
        public void open(RuntimeContext ctx) {
            customer = ctx.state(StateDescriptor.value("customer"));
            waiting = ctx.state(StateDescriptor.list("waiting"));
        }

        @Override
        public void processElement1(Order order, KeyedProcessFunction.Context<Long> ctx, Collector<String> out) {
            Customer c = customer.value();
            if (c != null) {
                // the customer may have been processed first although it came later in event time
                out.collect(order.id() + (c.ts() <= order.ts() + 100 ? " for " + c.name() : " unmatched"));
            } else {
                waiting.add(order);
                ctx.timerService().registerEventTimeTimer(order.ts() + 100);
            }
        }

        @Override
        public void processElement2(Customer c, KeyedProcessFunction.Context<Long> ctx,
                                    Collector<String> out) {
            customer.update(c);
            for (Order o : waiting.get()) {
                // the order's timer may not have fired yet: records can run ahead of the watermark
                out.collect(o.id() + (c.ts() <= o.ts() + 100 ? " for " + c.name() : " unmatched"));
            }
            waiting.clear();
        }

        @Override
        public void onTimer(long time, KeyedProcessFunction.OnTimerContext<Long> ctx, Collector<String> out) {
            List<Order> stillWaiting = new ArrayList<>();
            for (Order o : waiting.get()) {
                if (o.ts() + 100 <= time) {
                    out.collect(o.id() + " unmatched (timer at " + time + ")");
                } else {
                    stillWaiting.add(o);
                }
            }
            waiting.update(stillWaiting);
        }
    }

    // ---- helpers ----

    private static <T> WatermarkStrategy<T> timestamps(ToLongFunction<T> ts) {
        return WatermarkStrategy.<T>forMonotonousTimestamps().withTimestampAssigner((e, t) -> ts.applyAsLong(e));
    }

    private static void run(Pipeline pipeline) {
        try (LocalCluster cluster = LocalCluster.start(2)) {
            cluster.execute(pipeline);
        }
    }

    private static List<String> sorted(List<String> values) {
        List<String> s = new ArrayList<>(values);
        s.sort(null);
        return s;
    }
}
