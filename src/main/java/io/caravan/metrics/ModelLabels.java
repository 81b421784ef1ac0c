package io.caravan.metrics;

import io.caravan.pool.Credential;
import io.caravan.pool.ModelRule;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The model label of a request, bounded: a caller can name any model, so a name is its own label only when the
 * gateway knows it (an exact name or an alias in some credential's model list) or a credential served it (a wildcard
 * entry), and only for the first {@code maxModels} such names. Every other name is {@value MetricNames#OTHER}.
 */
final class ModelLabels {

    private final Supplier<List<Credential>> credentials;
    private final int maxModels;
    private final ConcurrentHashMap<String, Boolean> admitted = new ConcurrentHashMap<>();
    private final AtomicInteger admittedCount = new AtomicInteger();
    /**
     * The exact names and aliases of the credential set last seen, so that a name no credential lists (a caller can
     * send any number of them) costs one set lookup, not a walk over every credential's rules. Rebuilt when the pool's
     * set is another list (a reload swaps it whole).
     */
    private volatile ConfiguredNames configured = new ConfiguredNames(null, Set.of());

    private record ConfiguredNames(List<Credential> of, Set<String> names) {
    }

    /** @param credentials the pool's credentials now (read again for a name not seen, as reloads change them) */
    ModelLabels(Supplier<List<Credential>> credentials, int maxModels) {
        this.credentials = credentials;
        this.maxModels = maxModels;
    }

    /**
     * @param model  the name the caller asked for, {@code null} when the request named none
     * @param served whether a credential answered it with a 2xx
     */
    String label(String model, boolean served) {
        if (model == null || model.isEmpty()) {
            return MetricNames.NONE;
        }
        if (admitted.containsKey(model)) {
            return model;
        }
        if ((served || configured(model)) && admit(model)) {
            return model;
        }
        return MetricNames.OTHER;
    }

    private boolean configured(String model) {
        List<Credential> now = credentials.get();
        ConfiguredNames known = configured;
        if (known.of() != now) {
            Set<String> names = new HashSet<>();
            for (Credential credential : now) {
                for (ModelRule rule : credential.spec().models()) {
                    if (!rule.isWildcard()) {
                        names.add(rule.pattern());
                    }
                }
            }
            known = new ConfiguredNames(now, Set.copyOf(names));
            configured = known;
        }
        return known.names().contains(model);
    }

    /** Takes one of the {@code maxModels} places; a name two threads admit at once takes one place. */
    private boolean admit(String model) {
        while (true) {
            int count = admittedCount.get();
            if (count >= maxModels) {
                return admitted.containsKey(model);
            }
            if (admittedCount.compareAndSet(count, count + 1)) {
                if (admitted.putIfAbsent(model, Boolean.TRUE) != null) {
                    admittedCount.decrementAndGet();
                }
                return true;
            }
        }
    }
}
