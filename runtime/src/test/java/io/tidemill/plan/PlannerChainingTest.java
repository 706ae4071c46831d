package io.tidemill.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tidemill.api.Aggregates;
import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.graph.Partitioning;
import io.tidemill.watermark.WatermarkStrategy;
import io.tidemill.window.TumblingWindows;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which operators the planner fuses into one task (a vertex) and where it must cut the chain. */
class PlannerChainingTest {

    @Test
    void mapAndFilterAreChainedToTheSourceButNotAcrossKeyBy() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(2);
        numbers(pipeline).map(v -> v + 1).name("map").filter(v -> v % 2 == 0).name("filter")
                .keyBy(v -> v % 10)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10))).aggregate(Aggregates.count()).name("count")
                .map(c -> "" + c).name("format")
                .sinkTo(new CollectSink<>(), "sink");

        // when
        ExecutionPlan plan = Planner.plan(pipeline);

        // then
        assertEquals(List.of("source -> map -> filter", "count -> format -> sink"), vertexNames(plan));
    }

    @Test
    void atParallelismOneAKeyedEdgeIsChained() {
        // given: every key goes to the single subtask, so the exchange is a plain call
        Pipeline pipeline = Pipeline.create().setParallelism(1);
        numbers(pipeline).map(v -> v + 1).name("map")
                .keyBy(v -> v % 10)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10))).aggregate(Aggregates.count()).name("count")
                .sinkTo(new CollectSink<>(), "sink");

        // when
        ExecutionPlan plan = Planner.plan(pipeline);

        // then
        assertEquals(List.of("source -> map -> count -> sink"), vertexNames(plan));
    }

    @Test
    void rebalanceCutsTheChain() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(2);
        numbers(pipeline).map(v -> v).name("map").rebalance().filter(v -> true).name("filter")
                .sinkTo(new CollectSink<>(), "sink");

        // when
        ExecutionPlan plan = Planner.plan(pipeline);

        // then
        assertEquals(List.of("source -> map", "filter -> sink"), vertexNames(plan));
    }

    @Test
    void differentParallelismCutsTheChainAndTheEdgeBecomesARebalance() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(2);
        numbers(pipeline).map(v -> v).name("map").setParallelism(1)
                .sinkTo(new CollectSink<>(), "sink").setParallelism(1);

        // when
        ExecutionPlan plan = Planner.plan(pipeline);

        // then
        assertEquals(List.of("source", "map -> sink"), vertexNames(plan));
        assertEquals(List.of(2, 1), plan.vertices().stream().map(Vertex::parallelism).toList());
        PhysicalEdge cut = plan.inputsOf(plan.vertices().get(1)).get(0);
        assertEquals(Partitioning.Type.REBALANCE, cut.partitioning().type());
    }

    @Test
    void operatorWithTwoConsumersEndsItsChain() {
        // given a map whose output feeds two sinks
        Pipeline pipeline = Pipeline.create().setParallelism(2);
        DataStream<Long> mapped = numbers(pipeline).map(v -> v).name("map");
        mapped.sinkTo(new CollectSink<>(), "first");
        mapped.sinkTo(new CollectSink<>(), "second");

        // when
        ExecutionPlan plan = Planner.plan(pipeline);

        // then
        assertEquals(List.of("source -> map", "first", "second"), vertexNames(plan));
    }

    @Test
    void unionInputsAreNotChainedToTheirConsumer() {
        // given
        Pipeline pipeline = Pipeline.create().setParallelism(2);
        DataStream<Long> a = pipeline.fromCollection(List.of(1L), WatermarkStrategy.<Long>noWatermarks()).name("a");
        DataStream<Long> b = pipeline.fromCollection(List.of(2L), WatermarkStrategy.<Long>noWatermarks()).name("b");
        a.union(b).map(v -> v).name("map").sinkTo(new CollectSink<>(), "sink");

        // when
        ExecutionPlan plan = Planner.plan(pipeline);

        // then
        assertEquals(List.of("a", "b", "map -> sink"), vertexNames(plan));
    }

    private static final String LOCAL = "window(TumblingEventTimeWindows(10 ms)).aggregate.local";

    @Test
    void aPreAggregationsLocalStepRunsBesideItsInputAtTheInputsParallelism() {
        // given a source of parallelism 1 in a pipeline of parallelism 4
        Pipeline pipeline = Pipeline.create().setParallelism(4);
        numbers(pipeline).setParallelism(1).keyBy(v -> v % 10)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10))).preAggregate()
                .aggregate(Aggregates.count()).name("count")
                .sinkTo(new CollectSink<>(), "sink");

        // when
        ExecutionPlan plan = Planner.plan(pipeline);

        // then: the local step is chained to the source, not behind a round-robin edge
        assertEquals(List.of("source -> " + LOCAL, "count -> sink"), vertexNames(plan));
        assertEquals(List.of(1, 4), plan.vertices().stream().map(Vertex::parallelism).toList());
    }

    @Test
    void aPreAggregatedUnionGetsALocalStepBesideEachInput() {
        // given two sources of different parallelism, rebalanced (the keyBy overrides that)
        Pipeline pipeline = Pipeline.create().setParallelism(3);
        DataStream<Long> a = numbers(pipeline).name("a").setParallelism(1);
        DataStream<Long> b = numbers(pipeline).name("b").setParallelism(2);
        a.union(b).rebalance().keyBy(v -> v % 10)
                .window(TumblingWindows.eventTime(Duration.ofMillis(10))).preAggregate()
                .aggregate(Aggregates.count()).name("count")
                .sinkTo(new CollectSink<>(), "sink");

        // when
        ExecutionPlan plan = Planner.plan(pipeline);

        // then
        assertEquals(List.of("a -> " + LOCAL, "b -> " + LOCAL, "count -> sink"), vertexNames(plan));
        assertEquals(List.of(1, 2, 3), plan.vertices().stream().map(Vertex::parallelism).toList());
    }

    private static DataStream<Long> numbers(Pipeline pipeline) {
        return pipeline.fromCollection(List.of(1L, 2L, 3L), WatermarkStrategy.<Long>forMonotonousTimestamps()
                .withTimestampAssigner((v, ts) -> v)).name("source");
    }

    private static List<String> vertexNames(ExecutionPlan plan) {
        return plan.vertices().stream().map(Vertex::name).toList();
    }
}
