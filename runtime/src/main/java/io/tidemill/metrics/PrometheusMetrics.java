package io.tidemill.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A Prometheus registry with the JVM's and the process's meters (memory, GC, threads, classes, CPU,
 * uptime) bound, as a node or an embedded run serves it at {@code GET /metrics}. Closing unbinds the
 * GC listener; the registry itself needs no closing.
 *
 * <pre>{@code
 * try (PrometheusMetrics metrics = PrometheusMetrics.create()) {
 *     JobMetrics.bind(job, metrics.registry(), null);
 *     String text = metrics.registry().scrape();
 * }
 * }</pre>
 */
public final class PrometheusMetrics implements AutoCloseable {
    /** The content type of the text format {@link PrometheusMeterRegistry#scrape()} writes. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    private PrometheusMetrics() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    public static PrometheusMetrics create() {
        return new PrometheusMetrics();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        gc.close();
    }
}
