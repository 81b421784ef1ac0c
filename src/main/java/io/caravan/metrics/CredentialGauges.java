package io.caravan.metrics;

import io.caravan.pool.CoolingCause;
import io.caravan.pool.Credential;
import io.caravan.pool.CredentialPool;
import io.caravan.pool.PoolListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The pool as metrics: each credential's state, requests in flight, cap and remaining cooldown, the requests waiting
 * for a free credential, and the cooldowns the pool decided. The credential set changes at run time (a reload), so
 * the per-credential rows are computed when metrics are scraped ({@link #refresh()}), and the rows of a credential
 * that is gone go with it.
 */
final class CredentialGauges implements PoolListener {

    static final String READY = "ready";
    static final String COOLING = "cooling";
    static final String QUARANTINED = "quarantined";
    static final String DISABLED = "disabled";

    private final CredentialPool pool;
    private final MeterRegistry registry;
    private final MultiGauge state;
    private final MultiGauge inFlight;
    private final MultiGauge maxConcurrent;
    private final MultiGauge coolingRemaining;
    private final ConcurrentHashMap<CooldownKey, Counter> cooldowns = new ConcurrentHashMap<>();

    CredentialGauges(CredentialPool pool, MeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
        this.state = MultiGauge.builder(MetricNames.CREDENTIAL_STATE)
                .description("1 for each credential, labelled with its state: ready, cooling, quarantined, disabled")
                .register(registry);
        this.inFlight = MultiGauge.builder(MetricNames.CREDENTIAL_IN_FLIGHT)
                .description("Requests in flight on each credential").register(registry);
        this.maxConcurrent = MultiGauge.builder(MetricNames.CREDENTIAL_MAX_CONCURRENT)
                .description("Each credential's max-concurrent").register(registry);
        this.coolingRemaining = MultiGauge.builder(MetricNames.CREDENTIAL_COOLING).baseUnit("seconds")
                .description("Time left in each credential's cooldown or quarantine, 0 when it has none")
                .register(registry);
        Gauge.builder(MetricNames.POOL_WAITING, pool, CredentialPool::waitingCount)
                .description("Requests waiting for a credential to be free").register(registry);
    }

    @Override
    public void cooledDown(Credential credential, CoolingCause cause, Duration duration) {
        cooldowns.computeIfAbsent(new CooldownKey(credential.name(), cause), this::cooldownCounter).increment();
    }

    /** Sets the per-credential rows to the credentials the pool has now, as they are now. */
    void refresh() {
        long now = System.nanoTime();
        List<MultiGauge.Row<?>> states = new ArrayList<>();
        List<MultiGauge.Row<?>> inFlightRows = new ArrayList<>();
        List<MultiGauge.Row<?>> capRows = new ArrayList<>();
        List<MultiGauge.Row<?>> coolingRows = new ArrayList<>();
        for (Credential credential : pool.credentials()) {
            Tags name = Tags.of(MetricNames.CREDENTIAL, credential.name());
            long cooling = Math.max(credential.coolingRemainingNanos(now), 0);
            states.add(MultiGauge.Row.of(name.and(MetricNames.STATE, stateOf(credential, cooling)), 1));
            inFlightRows.add(MultiGauge.Row.of(name, credential.inFlight()));
            capRows.add(MultiGauge.Row.of(name, credential.spec().maxConcurrent()));
            coolingRows.add(MultiGauge.Row.of(name, cooling / 1e9));
        }
        state.register(states, true);
        inFlight.register(inFlightRows, true);
        maxConcurrent.register(capRows, true);
        coolingRemaining.register(coolingRows, true);
    }

    static String stateOf(Credential credential, long coolingNanos) {
        if (!credential.enabled()) {
            return DISABLED;
        }
        if (coolingNanos <= 0) {
            return READY;
        }
        return credential.coolingCause() == CoolingCause.QUARANTINED ? QUARANTINED : COOLING;
    }

    private Counter cooldownCounter(CooldownKey key) {
        return Counter.builder(MetricNames.COOLDOWNS)
                .description("Cooldowns the pool put credentials in, by credential and cause")
                .tags(MetricNames.CREDENTIAL, key.credential, MetricNames.CAUSE,
                        key.cause.name().toLowerCase(Locale.ROOT))
                .register(registry);
    }

    private record CooldownKey(String credential, CoolingCause cause) {
    }
}
