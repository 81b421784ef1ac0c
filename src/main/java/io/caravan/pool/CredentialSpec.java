package io.caravan.pool;

import io.caravan.dialect.Dialect;
import io.caravan.support.SecretMask;
import java.util.List;
import java.util.Set;

/**
 * One upstream credential as configured in the credentials file.
 *
 * @param models the model names this credential serves (exact names, {@code *} wildcards, or aliases)
 * @param apis   the dialects it is sent requests of unchanged: its kind, and any other API of the same provider it
 *               serves ({@code apis: [chat, responses]})
 * @param weight its share of the {@code weighted} strategy's turns relative to the others' ({@value #MIN_WEIGHT} to
 *               {@value #MAX_WEIGHT})
 * @param tier   its priority tier: tier 1 serves first, a later tier only while no credential of an earlier one is
 *               eligible (every strategy honours it)
 */
public record CredentialSpec(
        String name,
        Dialect kind,
        String baseUrl,
        String apiKey,
        List<ModelRule> models,
        int maxConcurrent,
        boolean enabled,
        Set<Dialect> apis,
        int weight,
        int tier) {

    public static final int DEFAULT_WEIGHT = 1;
    public static final int MIN_WEIGHT = 1;
    /** Bounds the weighted wheel's rounds, so that its position is found in a handful of steps. */
    public static final int MAX_WEIGHT = 1000;
    public static final int DEFAULT_TIER = 1;

    public CredentialSpec {
        apis = Set.copyOf(apis);
        if (!apis.contains(kind)) {
            throw new IllegalArgumentException("a credential serves its own kind's API: " + kind.id());
        }
        if (weight < MIN_WEIGHT || weight > MAX_WEIGHT) {
            throw new IllegalArgumentException("a credential's weight is " + MIN_WEIGHT + " to " + MAX_WEIGHT
                    + ", got " + weight);
        }
        if (tier < 1) {
            throw new IllegalArgumentException("a credential's tier is at least 1, got " + tier);
        }
    }

    /** A credential of weight 1 in tier 1. */
    public CredentialSpec(String name, Dialect kind, String baseUrl, String apiKey, List<ModelRule> models,
                          int maxConcurrent, boolean enabled, Set<Dialect> apis) {
        this(name, kind, baseUrl, apiKey, models, maxConcurrent, enabled, apis, DEFAULT_WEIGHT, DEFAULT_TIER);
    }

    /** A credential serving its kind's API only, of weight 1 in tier 1. */
    public CredentialSpec(String name, Dialect kind, String baseUrl, String apiKey, List<ModelRule> models,
                          int maxConcurrent, boolean enabled) {
        this(name, kind, baseUrl, apiKey, models, maxConcurrent, enabled, Set.of(kind));
    }

    /** Whether this credential serves the public model name. */
    public boolean serves(String model) {
        for (ModelRule rule : models) {
            if (rule.matches(model)) {
                return true;
            }
        }
        return false;
    }

    /** The model name to send upstream for a public model name this credential serves. */
    public String upstreamModel(String model) {
        for (ModelRule rule : models) {
            if (rule.matches(model)) {
                return rule.upstreamName(model);
            }
        }
        return model;
    }

    /** Without the key: a spec may end up in a log line or an assertion message. */
    @Override
    public String toString() {
        return "CredentialSpec[name=" + name + ", kind=" + kind.id() + ", baseUrl=" + baseUrl + ", apiKey="
                + maskedKey() + ", models=" + models + ", maxConcurrent=" + maxConcurrent + ", enabled=" + enabled
                + ", weight=" + weight + ", tier=" + tier + "]";
    }

    /** The key with all but a short prefix and suffix hidden, for logs. */
    public String maskedKey() {
        return SecretMask.mask(apiKey);
    }
}
