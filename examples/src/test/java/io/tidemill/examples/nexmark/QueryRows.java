package io.tidemill.examples.nexmark;

import io.tidemill.api.DataStream;
import io.tidemill.api.Pipeline;
import io.tidemill.api.sink.CollectSink;
import io.tidemill.connector.nexmark.NexmarkEvent;
import io.tidemill.local.LocalCluster;
import java.util.List;
import java.util.function.Function;

/** Runs one query over a list of events on a local cluster and returns its rows. */
final class QueryRows {
    private QueryRows() {}

    static List<Object> collect(LocalCluster cluster, Function<DataStream<NexmarkEvent>, ? extends DataStream<?>> query,
                                List<NexmarkEvent> events, int parallelism) {
        Pipeline pipeline = Pipeline.create().setParallelism(parallelism);
        CollectSink<Object> sink = new CollectSink<>();
        query.apply(pipeline.fromCollection(events, NexmarkQueries.watermarkStrategy()))
                .map(row -> (Object) row)
                .sinkTo(sink);
        cluster.execute(pipeline);
        return sink.values();
    }
}
