package io.caravan.metrics;

import io.caravan.exchange.CallObserver;
import io.caravan.pool.CredentialPool;
import io.caravan.routing.SessionAffinity;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.Map;

/**
 * The gateway's metrics, in a Prometheus registry of their own: the requests (through {@link #observer()}), the pool,
 * reload outcomes, and the JVM's and the process's own. One instance per gateway, closed when it stops.
 */
public final class GatewayMetrics implements AutoCloseable {

    /** The outcomes {@link #reloaded} counts. */
    public static final List<String> RELOAD_OUTCOMES = List.of("applied", "unchanged", "refused");

    static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPENMETRICS_TEXT = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final String OPENMETRICS = "application/openmetrics-text";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final RequestMetrics requests;
    private final CredentialGauges credentials;
    private final Map<String, Counter> reloads;
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /**
     * @param maxModels distinct model names labelled as themselves ({@code caravan.metrics.max-models}); beyond them,
     *     and for every name the gateway does not know, {@code other}
     */
    public GatewayMetrics(CredentialPool pool, int maxModels) {
        requests = new RequestMetrics(registry, new ModelLabels(pool::credentials, maxModels));
        credentials = new CredentialGauges(pool, registry);
        pool.addListener(credentials);
        reloads = Map.of(
                RELOAD_OUTCOMES.get(0), reloadCounter(RELOAD_OUTCOMES.get(0)),
                RELOAD_OUTCOMES.get(1), reloadCounter(RELOAD_OUTCOMES.get(1)),
                RELOAD_OUTCOMES.get(2), reloadCounter(RELOAD_OUTCOMES.get(2)));
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** Hears every caller request; add it to the gateway's {@link CallObserver#all} list. */
    public CallObserver observer() {
        return requests;
    }

    /** Shows how many sessions session affinity remembers ({@code caravan_affinity_sessions}), at each scrape. */
    public void countSessions(SessionAffinity affinity) {
        Gauge.builder(MetricNames.AFFINITY_SESSIONS, affinity, SessionAffinity::size).strongReference(true)
                .description("Caller sessions kept on the credential that served them last (session affinity)")
                .register(registry);
    }

    /**
     * Counts a reload of the credentials or clients file ({@code caravan_reloads_total{outcome}}).
     *
     * @param outcome one of {@link #RELOAD_OUTCOMES}
     */
    public void reloaded(String outcome) {
        Counter counter = reloads.get(outcome);
        if (counter == null) {
            throw new IllegalArgumentException("a reload outcome is one of " + RELOAD_OUTCOMES + ", not " + outcome);
        }
        counter.increment();
    }

    /**
     * Every metric as it is now, in OpenMetrics when the scraper's {@code Accept} asks for it, else in Prometheus's
     * text format 0.0.4.
     *
     * @param accept the scraper's {@code Accept} header, {@code null} when it sent none
     */
    public synchronized Scrape scrape(String accept) {
        credentials.refresh();
        String contentType = accept != null && accept.contains(OPENMETRICS) ? OPENMETRICS_TEXT : PROMETHEUS_TEXT;
        return new Scrape(contentType, registry.scrape(contentType));
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }

    private Counter reloadCounter(String outcome) {
        return Counter.builder(MetricNames.RELOADS).description("Reloads of the credentials and clients files")
                .tag(MetricNames.OUTCOME, outcome).register(registry);
    }
}
