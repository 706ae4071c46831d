package io.tidemill.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.tidemill.task.TaskStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The meters of a job's subtasks (labels {@code job_name}, {@code vertex}, {@code subtask}) and of
 * its vertices (labels {@code job_name}, {@code vertex}). Every meter reads a {@link TaskStats} when
 * scraped: nothing is counted into Micrometer on the hot path. Closing removes them all; until then
 * this object holds the figures it reads (Micrometer holds them weakly).
 */
public final class TaskMeters implements AutoCloseable {
    private final MeterRegistry registry;
    private final List<Meter> meters = new ArrayList<>();
    /** Strong references to what the meters read. */
    private final List<TaskStats> stats;
    private final Map<String, List<TaskStats>> byVertex = new LinkedHashMap<>();

    private TaskMeters(MeterRegistry registry, List<TaskStats> stats) {
        this.registry = registry;
        this.stats = List.copyOf(stats);
    }

    /** Registers the meters of {@code stats}, all of one job, under label {@code job_name=jobName}. */
    public static TaskMeters register(MeterRegistry registry, String jobName, List<TaskStats> stats) {
        TaskMeters m = new TaskMeters(registry, stats);
        for (TaskStats s : m.stats) {
            m.byVertex.computeIfAbsent(s.vertex(), v -> new ArrayList<>()).add(s);
            m.registerTask(Tags.of("job_name", jobName, "vertex", s.vertex(), "subtask",
                    String.valueOf(s.subtask())), s);
        }
        m.byVertex.forEach((vertex, subtasks) -> m.registerVertex(Tags.of("job_name", jobName, "vertex", vertex),
                subtasks));
        return m;
    }

    private void registerTask(Tags tags, TaskStats s) {
        meters.add(FunctionCounter.builder("tidemill.task.records.in", s, TaskStats::recordsIn)
                .description("records a subtask took in").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("tidemill.task.records.out", s, TaskStats::recordsOut)
                .description("records a subtask sent downstream").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("tidemill.task.late.records.dropped", s, TaskStats::lateRecordsDropped)
                .description("late records a subtask dropped").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("tidemill.task.late.records.side.output", s,
                        TaskStats::lateRecordsToSideOutput)
                .description("late records a subtask sent to a late-data side output").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("tidemill.task.busy.seconds", s, TaskStats::busySeconds)
                .description("time a subtask spent working").tags(tags).register(registry));
        meters.add(FunctionCounter.builder("tidemill.task.backpressured.seconds", s, TaskStats::backpressuredSeconds)
                .description("time a subtask could not emit because an output was full; "
                        + "its rate is the share of time backpressured").tags(tags).register(registry));
        meters.add(Gauge.builder("tidemill.task.source.pending.records", s,
                        t -> t.pendingRecords() < 0 ? Double.NaN : t.pendingRecords())
                .description("source lag: records a source subtask has not read yet where its source can tell "
                        + "(Kafka: up to the partition ends; a bounded generator); NaN otherwise")
                .tags(tags).register(registry));
        meters.add(Gauge.builder("tidemill.task.input.queue.fill.ratio", s, TaskStats::inputQueueFill)
                .description("items queued in a subtask's input channels over their capacity")
                .tags(tags).register(registry));
    }

    private void registerVertex(Tags tags, List<TaskStats> subtasks) {
        meters.add(Gauge.builder("tidemill.vertex.watermark.seconds", subtasks, TaskMeters::watermarkSeconds)
                .description("the lowest output watermark of a vertex's subtasks (epoch seconds)")
                .tags(tags).register(registry));
        meters.add(Gauge.builder("tidemill.vertex.watermark.lag.seconds", subtasks,
                        l -> System.currentTimeMillis() / 1000.0 - watermarkSeconds(l))
                .description("wall clock minus a vertex's watermark").tags(tags).register(registry));
    }

    /** NaN while a subtask has no watermark yet, or when all ended (the final watermark). */
    private static double watermarkSeconds(List<TaskStats> subtasks) {
        long min = Long.MAX_VALUE;
        for (TaskStats s : subtasks) {
            min = Math.min(min, s.watermark());
        }
        return min == Long.MIN_VALUE || min == Long.MAX_VALUE ? Double.NaN : min / 1000.0;
    }

    /** The figures these meters read. */
    public List<TaskStats> stats() {
        return stats;
    }

    @Override
    public void close() {
        for (Meter m : meters) {
            registry.remove(m);
        }
        meters.clear();
    }
}
