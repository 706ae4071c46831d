package io.tidemill.api;

import io.tidemill.api.source.CollectionSource;
import io.tidemill.api.source.GeneratorSource;
import io.tidemill.api.source.Source;
import io.tidemill.graph.LogicalGraph;
import io.tidemill.state.KeyGroups;
import io.tidemill.watermark.WatermarkStrategy;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The entry point of the API: a pipeline is built from sources, transformed, and ends in sinks.
 *
 * <pre>{@code
 * Pipeline p = Pipeline.create().setParallelism(4);
 * p.fromSource(source, WatermarkStrategy.<Bid>forBoundedOutOfOrderness(Duration.ofSeconds(5))
 *                 .withTimestampAssigner((b, ts) -> b.dateTime()), "bids")
 *  .keyBy(Bid::auction)
 *  .window(SlidingWindows.eventTime(Duration.ofSeconds(10), Duration.ofSeconds(2)))
 *  .aggregate(Aggregates.count())
 *  .print();
 * JobResult result = p.execute();
 * }</pre>
 *
 * <p>Building only describes the job; {@link #execute()} checks it (invalid operators are reported by
 * name) and runs it on an embedded local cluster, or a cluster runs it from the same code.
 */
public final class Pipeline {
    private final LogicalGraph graph = new LogicalGraph();
    private String name = "job";
    private int parallelism = Runtime.getRuntime().availableProcessors();
    private int maxParallelism = KeyGroups.DEFAULT_MAX_PARALLELISM;

    private Pipeline() {}

    public static Pipeline create() {
        return new Pipeline();
    }

    /** Reads a source; timestamps and watermarks are assigned per split by {@code strategy}. */
    public <T> DataStream<T> fromSource(Source<T> source, WatermarkStrategy<T> strategy, String name) {
        return new DataStream<>(this, graph.addSource(name, source, strategy));
    }

    /** A bounded stream of the given records, without event time unless a strategy is given. */
    public <T> DataStream<T> fromCollection(List<T> items) {
        return fromSource(new CollectionSource<>(items), WatermarkStrategy.noWatermarks(), "collection");
    }

    public <T> DataStream<T> fromCollection(List<T> items, WatermarkStrategy<T> strategy) {
        return fromSource(new CollectionSource<>(items), strategy, "collection");
    }

    /** A generated stream; see {@link GeneratorSource}. */
    public <T> DataStream<T> fromGenerator(GeneratorSource<T> source, WatermarkStrategy<T> strategy) {
        return fromSource(source, strategy, "generator");
    }

    public Pipeline setName(String name) {
        this.name = name;
        return this;
    }

    public String name() {
        return name;
    }

    /** The default parallelism of every operator (default: number of cores). */
    public Pipeline setParallelism(int parallelism) {
        if (parallelism <= 0) {
            throw new IllegalArgumentException("parallelism must be positive, was " + parallelism);
        }
        this.parallelism = parallelism;
        return this;
    }

    public int parallelism() {
        return parallelism;
    }

    /** Number of key groups: the upper bound of keyed parallelism, and the unit of rescaling. */
    public Pipeline setMaxParallelism(int maxParallelism) {
        if (maxParallelism <= 0 || maxParallelism > 32768) {
            throw new IllegalArgumentException("maxParallelism must be in 1..32768, was " + maxParallelism);
        }
        this.maxParallelism = maxParallelism;
        return this;
    }

    public int maxParallelism() {
        return maxParallelism;
    }

    public LogicalGraph graph() {
        return graph;
    }

    /** Runs the pipeline to completion on an embedded local cluster and returns its result. */
    public JobResult execute() {
        PipelineExecutor executor = ServiceLoader.load(PipelineExecutor.class).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no executor on the classpath: add the tidemill-runtime module"));
        return executor.execute(this);
    }
}
