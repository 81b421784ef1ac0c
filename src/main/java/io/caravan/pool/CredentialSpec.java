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
 */
public record CredentialSpec(
        String name,
        Dialect kind,
        String baseUrl,
        String apiKey,
        List<ModelRule> models,
        int maxConcurrent,
        boolean enabled,
        Set<Dialect> apis) {

    public CredentialSpec {
        apis = Set.copyOf(apis);
        if (!apis.contains(kind)) {
            throw new IllegalArgumentException("a credential serves its own kind's API: " + kind.id());
        }
    }

    /** A credential serving its kind's API only. */
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
                + "]";
    }

    /** The key with all but a short prefix and suffix hidden, for logs. */
    public String maskedKey() {
        return SecretMask.mask(apiKey);
    }
}
