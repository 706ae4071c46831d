package io.tidemill.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * One metric whose series come and go (a peer connection, a job's status), set from a sample taken
 * just before a scrape: {@link #update} registers a series it has not seen, sets every value, and
 * removes the series absent from the sample. Not thread-safe: one scraper at a time.
 */
public final class SampledSeries {
    /** The value a series' meter reads; held here, since Micrometer holds it weakly. */
    private static final class Value {
        volatile double value;
    }

    private record Entry(Value value, Meter meter) {}

    private final MeterRegistry registry;
    private final String name;
    private final String description;
    private final boolean counter;
    private final Map<Tags, Entry> live = new HashMap<>();

    private SampledSeries(MeterRegistry registry, String name, String description, boolean counter) {
        this.registry = registry;
        this.name = name;
        this.description = description;
        this.counter = counter;
    }

    /** A gauge (any value). */
    public static SampledSeries gauge(MeterRegistry registry, String name, String description) {
        return new SampledSeries(registry, name, description, false);
    }

    /** A counter (Prometheus adds {@code _total}); its source must only grow, or be new. */
    public static SampledSeries counter(MeterRegistry registry, String name, String description) {
        return new SampledSeries(registry, name, description, true);
    }

    /** Sets the series to {@code sample}: one value per label set. */
    public void update(Map<Tags, Double> sample) {
        for (Map.Entry<Tags, Double> s : sample.entrySet()) {
            Entry e = live.get(s.getKey());
            if (e == null) {
                Value v = new Value();
                Meter m = counter
                        ? FunctionCounter.builder(name, v, x -> x.value).description(description).tags(s.getKey())
                                .register(registry)
                        : Gauge.builder(name, v, x -> x.value).description(description).tags(s.getKey())
                                .register(registry);
                e = new Entry(v, m);
                live.put(s.getKey(), e);
            }
            e.value.value = s.getValue();
        }
        for (Iterator<Map.Entry<Tags, Entry>> it = live.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<Tags, Entry> e = it.next();
            if (!sample.containsKey(e.getKey())) {
                registry.remove(e.getValue().meter());
                it.remove();
            }
        }
    }
}
